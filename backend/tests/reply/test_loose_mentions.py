"""A product the customer names loosely ("your falcon cork mat") is retrieved as `match="loose"`, and a
reply about it is never sent on its own: a person checks it is the right product."""

from sqlalchemy import select

from mancrel.inbox.models import Direction, Message
from mancrel.reply import retrieval
from mancrel.reply.decision import decide_message
from tests.reply.factories import classified_message, make_product

TITLE = "Falcon Cork Yoga Mat"


async def _outbound(db, conversation_id) -> list[Message]:
    return list(await db.scalars(select(Message).where(Message.conversation_id == conversation_id,
                                                       Message.direction == Direction.outbound)))


async def test_a_loosely_named_product_is_retrieved_and_marked_loose(db):
    mat = await make_product(db, title=TITLE, sku="FIT-8963", price="80.95")
    await make_product(db, title="Falcon Trek Backpack 35L", sku="BPK-2322")
    facts = await retrieval.retrieve(db, text="how much is your falcon cork mat?", intent="pricing")
    assert [(p.product_id, p.match) for p in facts.products] == [(mat.id, "loose")]


async def test_an_exact_name_is_taken_alone_without_loose_guesses(db):
    mat = await make_product(db, title=TITLE, sku="FIT-8963")
    await make_product(db, title="Falcon Cork Balance Board", sku="FIT-7189")
    facts = await retrieval.retrieve(db, text="is the Falcon Cork Yoga Mat or the falcon cork board better?",
                                     intent="product_question")
    assert [(p.product_id, p.match) for p in facts.products] == [(mat.id, "name")]


async def test_a_confident_answer_about_a_loosely_named_product_waits_for_a_person(db):
    await make_product(db, title=TITLE, sku="FIT-8963", price="80.95", stock=4)
    message = await classified_message(db, text="Hi, how much is your falcon cork mat?", intent="pricing",
                                       confidence=0.97)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("approval", "pending")
    assert "80.95 EUR" in suggestion.draft_text
    assert "the product was recognised from a loose mention, not named exactly by the customer" in suggestion.reasons
    assert {f["match"] for f in suggestion.facts if f.get("product_id")} == {"loose"}
    assert await _outbound(db, message.conversation_id) == []


async def test_the_same_question_naming_the_whole_title_is_sent(db):
    await make_product(db, title=TITLE, sku="FIT-8963", price="80.95", stock=4)
    message = await classified_message(db, text=f"Hi, how much is your {TITLE}?", intent="pricing", confidence=0.97)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("auto_send", "sent")
    assert len(await _outbound(db, message.conversation_id)) == 1
