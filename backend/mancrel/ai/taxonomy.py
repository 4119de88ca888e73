"""The default intent taxonomy for product sellers, and the priority rules built on it."""

import re

OUT_OF_SCOPE = "out_of_scope"

INTENTS: dict[str, str] = {
    "product_question": "Asks about a product's features, materials, sizing, compatibility or care.",
    "availability": "Asks whether a product, size or colour is in stock, or when it will be back.",
    "pricing": "Asks about prices, discounts, quotes, promo codes, VAT or payment plans.",
    "purchase_intent": "Wants to buy or order now and asks how, or confirms a purchase.",
    "order_status": "Asks where an existing order is, its tracking, or changes to a placed order.",
    "shipping": "Asks about delivery options, costs, times, couriers or destinations before ordering.",
    "returns_refund": "Wants to return or exchange an item, or asks about a refund.",
    "complaint": "Expresses dissatisfaction with a product, delivery or service.",
    "support": "Needs help using, setting up, caring for or fixing a product or their account.",
    "partnership": "Proposes a collaboration, wholesale, distribution, sponsorship or press request.",
    "spam": "Unsolicited advertising, phishing, scams or automated junk.",
    "other": "A relevant message that fits none of the above: thanks, greetings, company questions.",
}

PRIORITIES = ("urgent", "high", "normal", "low")
SENTIMENTS = ("negative", "neutral", "positive")

# Words that mean the sender is waiting on something time-critical or is about to escalate.
_URGENT = re.compile(r"\b(urgent(ly)?|asap|immediately|right now|today|tonight|emergency|lawyer|"
                     r"chargeback|consumer protection|dangerous|injur\w*|unsafe|fraud)\b", re.IGNORECASE)
_BASE_PRIORITY = {
    "complaint": "high", "returns_refund": "high", "order_status": "high", "purchase_intent": "high",
    "product_question": "normal", "availability": "normal", "pricing": "normal", "shipping": "normal",
    "support": "normal", "partnership": "low", "other": "low", "spam": "low", OUT_OF_SCOPE: "low",
}


def priority(intent: str, sentiment: str | None, text: str) -> str:
    """Rules, not a model: a seller must be able to predict why a message jumped the queue.
    Buyers and unhappy customers come first; explicit urgency or safety words make it urgent."""
    if intent == "spam":
        return "low"
    base = _BASE_PRIORITY.get(intent, "normal")
    if _URGENT.search(text) and intent not in ("partnership", "other", OUT_OF_SCOPE):
        return "urgent"
    if sentiment == "negative":  # an unhappy customer moves up one step
        return {"low": "normal", "normal": "high"}.get(base, base)
    return base
