"""A confident, grounded draft that does not answer what was asked waits for a person (findings B2, M5):
`reply.decide` on real messages, with the reasons a rep reads and the draft the customer would get."""

from decimal import Decimal

from sqlalchemy import select

from mancrel.catalog.normalise import NormalisedVariant
from mancrel.inbox.models import Direction, Message
from mancrel.reply.decision import decide_message
from tests.reply.factories import classified_message, make_knowledge, make_product

SURE = 0.9996


def _variants(sku: str, sizes: list[str], *, price: str = "149.00", stock: int = 9, colour: str | None = None,
              compare_at: str | None = None) -> list[NormalisedVariant]:
    return [NormalisedVariant(external_id=f"{sku}-{size}", price=Decimal(price), currency="EUR", sku=f"{sku}-{size}",
                              stock=stock, compare_at_price=Decimal(compare_at) if compare_at else None,
                              options={"size": size, **({"colour": colour} if colour else {})})
            for size in sizes]


async def _sent(db, conversation_id) -> list[Message]:
    return list(await db.scalars(select(Message).where(Message.conversation_id == conversation_id,
                                                       Message.direction == Direction.outbound)))


async def _decide(db, text: str, intent: str = "product_question"):
    message = await classified_message(db, text=text, intent=intent, confidence=SURE)
    suggestion = await decide_message(db, message.id)
    return suggestion, await _sent(db, message.conversation_id)


async def test_a_price_and_stock_draft_to_a_washing_and_packing_question_waits_for_a_person(db):
    await make_product(db, title="Packable Rain Jacket", variants=_variants("JKT", ["M", "L"], colour="Blue"))
    suggestion, sent = await _decide(db, "Is the Packable Rain Jacket machine washable, and how small does it "
                                         "pack down?")
    assert (suggestion.decision, suggestion.status, sent) == ("approval", "pending", [])
    assert "the draft does not answer: dimensions, washing" in suggestion.reasons
    assert suggestion.grounding["ok"] is True  # true, and still no answer


async def test_a_weight_question_is_held_and_a_plural_title_reads_as_plural(db):
    await make_product(db, title="Ultralight Trekking Poles", sku="POLE-UL", price="119.00", stock=6)
    suggestion, sent = await _decide(db, "how heavy are the Ultralight Trekking Poles, per pole or per pair?")
    assert suggestion.status == "pending" and sent == []
    assert "the draft does not answer: weight" in suggestion.reasons
    assert "The Ultralight Trekking Poles (SKU POLE-UL) cost 119.00 EUR." in suggestion.draft_text


async def test_a_size_that_is_not_made_is_said_and_no_other_sizes_stock_reads_as_yes(db):
    await make_product(db, title="Merino Hiking Socks")  # "Merino Hiking Socks" inside the 3-pack's title (M4)
    await make_product(db, title="Merino Hiking Socks 3-Pack", sku="SOCK-MER-3P-M", price="48.00", stock=20)
    suggestion, sent = await _decide(db, "do you have the merino hiking socks 3-pack in size L? How much are they?",
                                     intent="availability")
    assert suggestion.status == "pending" and sent == []
    assert "We don't list the Merino Hiking Socks 3-Pack in size L." in suggestion.draft_text
    assert "We have 20 in stock" not in suggestion.draft_text
    assert any("size L of the Merino Hiking Socks 3-Pack is not in the catalogue" in r for r in suggestion.reasons)
    assert suggestion.grounding == {"ok": True, "failed_claims": []}


async def test_a_shoe_size_not_made_is_held_and_one_that_is_made_is_answered_on_its_own(db):
    await make_product(db, title="Trail Runner Shoe", variants=_variants("TRS", ["42", "43", "44"], price="129.00",
                                                                         stock=3))
    missing, sent = await _decide(db, "Do you have the Trail Runner Shoe in size 45?", intent="availability")
    assert missing.status == "pending" and sent == []
    assert "We don't list the Trail Runner Shoe in size 45." in missing.draft_text
    made, sent = await _decide(db, "Do you have the Trail Runner Shoe in size 44?", intent="availability")
    assert (made.status, len(sent)) == ("sent", 1)
    assert "The Trail Runner Shoe in 44 (SKU TRS-44) costs 129.00 EUR. We have 3 in stock." in sent[0].text
    assert "TRS-42" not in sent[0].text


async def test_more_than_the_stock_is_not_answered_with_a_yes(db):
    await make_product(db, title="Insulated Water Bottle 750 ml", sku="BOT-750", price="29.00", stock=30)
    suggestion, sent = await _decide(db, "We'd like to order 35 bottles of the Insulated Water Bottle 750 ml for "
                                         "our club.", intent="purchase_intent")
    assert suggestion.status == "pending" and sent == []
    assert ("the customer asks for 35 of the Insulated Water Bottle 750 ml; the facts show 30 in stock"
            in suggestion.reasons)
    assert "We have 30 in stock.\nThat is fewer than the 35 you asked for." in suggestion.draft_text
    assert suggestion.grounding["ok"] is True


async def test_a_sale_question_answered_without_the_sale_waits(db):
    await make_product(db, title="Packable Rain Jacket", variants=_variants("JKT", ["M"], compare_at="179.00"))
    suggestion, sent = await _decide(db, "Is the Packable Rain Jacket still on sale?", intent="pricing")
    assert suggestion.status == "pending" and sent == []
    assert "the draft does not answer: discount or sale" in suggestion.reasons


async def test_an_order_status_question_answered_with_a_policy_text_needs_the_orders_data(db):
    await make_knowledge(db, intents=("shipping", "order_status"))
    suggestion, sent = await _decide(db, "Where is my order #51234? I got no tracking number.", intent="order_status")
    assert (suggestion.decision, sent) == ("approval", [])
    assert "We ship within 2 business days" in suggestion.draft_text
    assert "needs the order's data: the draft has no information about the customer's order" in suggestion.reasons
    # Filed as shipping, the same question about one order still needs the order.
    shipping, sent = await _decide(db, "Where is my order #51234? I got no tracking number.", intent="shipping")
    assert shipping.status == "pending" and sent == []
    assert "needs the order's data: the draft has no information about the customer's order" in shipping.reasons


async def test_a_delivery_question_to_a_country_the_text_does_not_name_waits(db):
    await make_knowledge(db)
    suggestion, sent = await _decide(db, "How much is shipping to Austria?", intent="shipping")
    assert suggestion.status == "pending" and sent == []
    assert "the draft does not answer: delivery to Austria" in suggestion.reasons
    answered, sent = await _decide(db, "How much is shipping to Germany?", intent="shipping")
    assert (answered.status, len(sent)) == ("sent", 1)


async def test_no_facts_reason_reads_as_plain_words(db):
    suggestion, _ = await _decide(db, "Where is my order 40117?", intent="order_status")
    assert suggestion.status == "escalated"
    assert suggestion.reasons == ["no facts to answer an order status message with: add a knowledge entry for it"]
