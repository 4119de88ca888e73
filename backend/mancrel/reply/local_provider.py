"""The `local` provider: no network, no model. It composes a reply per intent from the facts
alone (price and stock of the products asked about, the policy texts for the intent), so every
claim it makes is one the catalogue or the seller wrote. English only: another language is a
human's to answer."""

from mancrel.reply import coverage
from mancrel.reply.facts import ProductFact, VariantFact
from mancrel.reply.policy import intent_words
from mancrel.reply.provider import Draft, DraftRequest, closing, greeting
from mancrel.reply.retrieval import PRODUCT_INTENTS

NAME = "local"
VERSION = "local-composer-1"
PROMPT_VERSION = "templates-1"
LANGUAGES = ("en",)


def _stock(variant: VariantFact) -> str:
    if variant.stock is None:
        return ""
    if variant.stock <= 0:
        return "out of stock at the moment"
    return f"{variant.stock} in stock"


def _variant_line(variant: VariantFact) -> str:
    label = variant.label()
    head = f"{label} (SKU {variant.sku})" if label and variant.sku else (label or f"SKU {variant.sku}"
                                                                         if variant.sku else "")
    stock = _stock(variant)
    return f"- {head}: {variant.price:.2f} {variant.currency}" + (f", {stock}" if stock else "")


def _plural(title: str) -> bool:
    """"Ultralight Trekking Poles" is plural, "Merino Hiking Socks 3-Pack" and "Trail Runner Shoe" are not."""
    last = title.split()[-1].lower() if title.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is")) and last.isalpha()


def _product_text(product: ProductFact, asked: coverage.Asked) -> str:
    """Price and stock of what the customer asked for: the variants they named, or all of them. A variant
    they named that is not made is said first, so the stock of another never reads as a yes."""
    chosen, missing = coverage.variants_asked(product, asked)
    variants = chosen or list(product.variants)
    plural = _plural(product.title)
    lead = ""
    if missing:
        lead = (f"We don't list the {product.title} in {' / '.join(m.describe() for m in missing)}. "
                f"{'They come' if plural else 'It comes'} in:\n")
        return lead + "\n".join(_variant_line(v) for v in variants) + _short(variants, asked)
    if len(variants) == 1:
        (v,) = variants
        sku = f" (SKU {v.sku})" if v.sku else ""
        label = f" in {v.label()}" if chosen and v.label() else ""
        text = f"The {product.title}{label}{sku} {'cost' if plural else 'costs'} {v.price:.2f} {v.currency}."
        if v.stock is not None:
            text += (f" {'They are' if plural else 'It is'} out of stock at the moment." if v.stock <= 0
                     else f" We have {v.stock} in stock.")
        return text + _short(variants, asked)
    lines = "\n".join(_variant_line(v) for v in variants)
    return f"The {product.title} {'come' if plural else 'comes'} in:\n{lines}" + _short(variants, asked)


def _short(variants: list[VariantFact], asked: coverage.Asked) -> str:
    """A quantity larger than the stock: said plainly, never left to read as a yes."""
    stock = coverage.stock_of(variants)
    if asked.quantity is None or asked.quantity <= 1 or stock is None or asked.quantity <= stock:
        return ""
    return f"\nThat is fewer than the {asked.quantity} you asked for."


class LocalProvider:
    name = NAME

    async def draft(self, request: DraftRequest) -> Draft:
        def no(reason: str) -> Draft:
            return Draft(text=None, provider=NAME, model_version=VERSION, prompt_version=PROMPT_VERSION,
                         reason=reason)

        if request.language not in LANGUAGES:
            return no(f"the local provider writes English only; the message is in '{request.language}'")
        parts: list[str] = []
        if request.intent in PRODUCT_INTENTS:
            products = [p for p in request.facts.products if p.variants]
            if not products:
                return no("no product from the catalogue matches the question")
            asked = coverage.read(request.customer_text)
            parts += [_product_text(p, asked) for p in products]
        parts += [k.body.strip() for k in request.facts.knowledge if k.body.strip()]
        if not parts:
            return no(f"no facts to answer {intent_words(request.intent)} message with: add a knowledge entry "
                      "for it")
        body = "\n\n".join(parts)
        return Draft(text=f"{greeting(request.customer_name)}\n\n{body}\n\n{closing(request.signature)}",
                     provider=NAME, model_version=VERSION, prompt_version=PROMPT_VERSION)
