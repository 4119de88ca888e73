"""Does a draft answer what the customer asked? Grounding proves a draft says nothing false; this
proves it says something to the point. A true reply that answers another question (price and stock
to "is it machine washable?") leaves the customer unanswered while the CRM counts them as answered,
so a draft with a gap is never sent on its own: a person sees the reasons and decides.

Read from the customer's own words, each rule small and explainable:
- attributes asked about (weight, dimensions, washing, material, discount/sale, by air, delivery time,
  a destination country) that the draft never mentions;
- a variant they named (size L, size 45, a colour) that no variant of the product has;
- a quantity larger than the stock the facts show;
- a question about one order (its number, tracking, "where is my order") with no order data.
Conservative by design: a word that merely might be a question holds the draft for a person.
"""

import re
from dataclasses import dataclass, field

from mancrel.reply.facts import Facts, ProductFact, VariantFact

# attribute -> (how a customer asks about it, how a draft that addresses it reads)
ATTRIBUTES: dict[str, tuple[re.Pattern, re.Pattern]] = {name: (re.compile(asked, re.I), re.compile(answered, re.I))
                                                        for name, asked, answered in (
    ("weight", r"\b(weigh\w*|heavy|heavier|how light|lighter)\b",
     r"\b(weigh\w*|\d+(?:[.,]\d+)?\s?(?:g|kg|grams?|kilos?|lbs?|oz)\b)"),
    ("dimensions", r"\b(dimensions?|measurements?|how (?:big|small|large|wide|tall|high|compact)|"
                   r"pack(?:s|ed)? (?:down|size|small)|length|width|height)\b",
     r"\b(dimensions?|measures?|\d+(?:[.,]\d+)?\s?(?:cm|mm|inch(?:es)?)\b|packs? (?:down|to)|length|width|"
     r"height)"),
    ("washing", r"\b(washable|wash\w*|dry[- ]clean\w*|tumble[- ]dr\w*)\b", r"\b(wash\w*|dry[- ]clean\w*|care)\b"),
    ("material", r"\b(materials?|made (?:of|from)|fabric|waterproof|water[- ]?(?:resistant|repellent)|breathable)\b",
     r"\b(materials?|made (?:of|from)|fabric|waterproof|water[- ]?(?:resistant|repellent)|breathable)\b"),
    ("discount or sale", r"\b(discounts?|on sale|sale price|on offer|special offers?|coupons?|vouchers?|promo\w*|"
                         r"cheaper|reduced|bulk price|price break)\b",
     r"\b(discount\w*|sale|reduced|coupons?|vouchers?|promo\w*|offers?|was \d)"),
    ("shipping by air or express", r"\b(by air|air ?(?:mail|freight)|plane|express|overnight|next[- ]day)\b",
     r"\b(air|express|overnight|next[- ]day)\b"),
    ("delivery time", r"\b(how (?:fast|quickly|soon|long)\b[^.?!\n]*\b(?:deliver|ship|arriv|take|get)\w*|"
                      r"when will (?:it|they|my \w+) (?:arrive|ship|be delivered)|delivery times?)",
     r"\b(\d+\s*(?:-\s*\d+\s*)?(?:business |working )?(?:days?|weeks?|hours?)|same day|next day|tomorrow)\b"),
)}

COUNTRIES = ("Germany", "Austria", "Switzerland", "France", "Italy", "Spain", "Portugal", "Netherlands", "Belgium",
             "Luxembourg", "Denmark", "Sweden", "Norway", "Finland", "Iceland", "Poland", "Czech Republic", "Czechia",
             "Slovakia", "Hungary", "Slovenia", "Croatia", "Romania", "Bulgaria", "Greece", "Ireland",
             "United Kingdom", "UK", "Great Britain", "England", "Scotland", "USA", "United States", "Canada",
             "Australia", "New Zealand", "Japan", "Estonia", "Latvia", "Lithuania", "Deutschland", "Österreich",
             "Schweiz", "Frankreich", "Italien", "Spanien", "Niederlande", "Belgien", "Dänemark", "Schweden",
             "Norwegen", "Polen")
COUNTRY = re.compile(r"\b(" + "|".join(re.escape(c) for c in COUNTRIES) + r")\b")
DELIVERY_WORDS = re.compile(r"\b(ship\w*|deliver\w*|send|sent|post(?:age)?|arriv\w*|liefer\w*|versand\w*|versend\w*)\b",
                            re.I)
SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")

_LETTER_SIZES = {"xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "small", "medium", "large"}
_SIZE_WORDS = {"small": "s", "medium": "m", "large": "l"}
SIZE = re.compile(r"\b(?:(?:size|größe|groesse)\s+|gr\.\s*)"
                  r"(?P<v>x{0,3}[sml]|xxl|xs|small|medium|large|\d{1,3}(?:[.,]5)?)(?![\w-])"
                  r"|\bin (?-i:(?P<u>XXS|XS|S|M|L|XL|XXL|XXXL))\b", re.I)
COLOURS = ("black", "white", "blue", "navy", "red", "green", "olive", "grey", "gray", "yellow", "orange", "pink",
           "purple", "brown", "beige", "charcoal", "khaki", "sand", "teal")
COLOUR = re.compile(r"\b(" + "|".join(COLOURS) + r")\b", re.I)
# "35 bottles", "4 pairs", "order 35", "10 of the socks"; not "#51234", "750 ml" or "size 45"
QUANTITY = re.compile(r"(?<![#\w.,-])(?P<n>\d{1,4})\s*(?:x\b|pcs\b|pieces\b|units\b|items\b|pairs\b|packs\b|sets\b|"
                      r"bottles\b|boxes\b|of (?:the|your|these|those|them)\b)"
                      r"|\b(?:order|buy|need|want|reserve|purchase|get)\s+(?P<m>\d{1,3})(?![\w-])(?!\s*(?:ml|l|cm|mm|g|kg)\b)",
                      re.I)
ORDER_REFERENCE = re.compile(r"#\s?\d{4,}|\b(?:order|bestellung)\s*(?:no\.?|number|nr\.?|#)?\s*\d{4,}|\btracking\b|"
                             r"\bwhere(?:'s| is) my (?:order|parcel|package|delivery)\b|\bnot (?:yet )?(?:arrived|"
                             r"shipped|received)\b", re.I)


@dataclass(frozen=True)
class Variant:
    """A variant value the customer named: what they wrote, and the form variant labels use."""
    kind: str    # "size" | "colour"
    written: str
    value: str

    def found_in(self, variant: VariantFact) -> bool:
        tokens = {t.lower() for t in re.split(r"[\s,/()]+", variant.label()) if t}
        tokens |= {_SIZE_WORDS.get(t, t) for t in tokens}
        return self.value in tokens

    def describe(self) -> str:
        return f"size {self.written}" if self.kind == "size" else self.written.lower()


@dataclass
class Asked:
    attributes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    quantity: int | None = None
    about_an_order: bool = False


def read(text: str) -> Asked:
    """What the customer's own words ask about, as far as the rules above can tell."""
    asked = Asked(attributes=[name for name, (pattern, _) in ATTRIBUTES.items() if pattern.search(text)])
    for sentence in SENTENCES.split(text):
        if DELIVERY_WORDS.search(sentence):
            asked.countries += [c for c in COUNTRY.findall(sentence) if c not in asked.countries]
    for m in SIZE.finditer(text):
        written = m.group("v") or m.group("u")
        value = _SIZE_WORDS.get(written.lower(), written.lower()).replace(",", ".")
        if written.lower() in _LETTER_SIZES or value.replace(".", "").isdigit():
            asked.variants.append(Variant("size", written.upper() if written.isalpha() and len(written) <= 4
                                          else written, value))
    asked.variants += [Variant("colour", c, c.lower()) for c in dict.fromkeys(COLOUR.findall(text))]
    quantities = [int(m.group("n") or m.group("m")) for m in QUANTITY.finditer(text)]
    asked.quantity = max(quantities) if quantities else None
    asked.about_an_order = ORDER_REFERENCE.search(text) is not None
    return asked


def variants_asked(product: ProductFact, asked: Asked) -> tuple[list[VariantFact], list[Variant]]:
    """The product's variants matching what the customer named, and the named values it does not have.
    A colour only counts when the product's variants are told apart by something (a one-variant product
    named "Blue Ridge Tent" is not asked about in blue)."""
    named = [v for v in asked.variants if v.kind == "size" or len(product.variants) > 1]
    missing = [n for n in named if not any(n.found_in(v) for v in product.variants)]
    present = [n for n in named if n not in missing]
    chosen = [v for v in product.variants if all(n.found_in(v) for n in present)] if present else []
    return chosen, missing


def stock_of(variants: list[VariantFact] | tuple[VariantFact, ...]) -> int | None:
    """Units in stock over the variants, None when any variant's stock is unknown."""
    if any(v.stock is None for v in variants):
        return None
    return sum(max(v.stock or 0, 0) for v in variants)


def gaps(*, customer_text: str, draft: str, facts: Facts, intent: str) -> list[str]:
    """Why the draft does not answer the customer (empty when no rule finds a gap)."""
    asked = read(customer_text)
    found: list[str] = []
    unanswered = [name for name in asked.attributes if not ATTRIBUTES[name][1].search(draft)]
    unanswered += [f"delivery to {c}" for c in asked.countries if c.lower() not in draft.lower()]
    if unanswered:
        found.append(f"the draft does not answer: {', '.join(unanswered)}")
    for product in facts.products:
        chosen, missing = variants_asked(product, asked)
        if missing:
            found.append(f"the draft does not answer: {' / '.join(m.describe() for m in missing)} of the "
                         f"{product.title} is not in the catalogue; a person tells the customer")
        stock = stock_of(chosen or product.variants)
        if asked.quantity is not None and asked.quantity > 1 and stock is not None and asked.quantity > stock:
            found.append(f"the customer asks for {asked.quantity} of the {product.title}; the facts show {stock} "
                         "in stock")
    if intent == "order_status" or asked.about_an_order:
        found.append("needs the order's data: the draft has no information about the customer's order")
    return found
