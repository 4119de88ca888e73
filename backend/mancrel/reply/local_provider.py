"""The `local` provider: no network, no model. It composes a reply per intent from the facts
alone (price and stock of the products asked about, the policy texts for the intent), so every
claim it makes is one the catalogue or the seller wrote. English only: another language is a
human's to answer."""

from mancrel.reply.facts import ProductFact, VariantFact
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


def _product_text(product: ProductFact) -> str:
    if len(product.variants) == 1:
        (v,) = product.variants
        sku = f" (SKU {v.sku})" if v.sku else ""
        text = f"The {product.title}{sku} costs {v.price:.2f} {v.currency}."
        if v.stock is not None:
            text += (" It is out of stock at the moment." if v.stock <= 0 else f" We have {v.stock} in stock.")
        return text
    lines = "\n".join(_variant_line(v) for v in product.variants)
    return f"The {product.title} comes in:\n{lines}"


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
            parts += [_product_text(p) for p in products]
        parts += [k.body.strip() for k in request.facts.knowledge if k.body.strip()]
        if not parts:
            return no(f"no facts to answer a '{request.intent}' message from (add a knowledge entry for it)")
        body = "\n\n".join(parts)
        return Draft(text=f"{greeting(request.customer_name)}\n\n{body}\n\n{closing(request.signature)}",
                     provider=NAME, model_version=VERSION, prompt_version=PROMPT_VERSION)
