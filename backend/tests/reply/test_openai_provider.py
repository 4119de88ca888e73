"""The `openai` provider through the real `openai` client against a local chat-completions server:
the prompt carries the facts, usage is recorded, and an invented price is caught by grounding."""

from mancrel.core.permissions import Role
from mancrel.reply import policy as reply_policy
from mancrel.reply.decision import decide_message
from mancrel.reply.policy import PolicyUpdate
from tests.factories import make_user
from tests.reply.factories import classified_message, make_product

QUESTION = "Hi, how much are the Merino Hiking Socks?"


async def _openai_policy(db):
    admin = await make_user(db, role=Role.admin)
    await reply_policy.update(db, data=PolicyUpdate(provider="openai", signature="Alpine Loom"), actor=admin)


async def test_a_faithful_llm_answer_is_sent_and_its_call_recorded(db, llm):
    await _openai_policy(db)
    await make_product(db, price="18.00", stock=10)
    llm.reply = ("Hi Ada,\n\nThe Merino Hiking Socks cost 18.00 EUR and we have 10 in stock.\n\n"
                 "Best regards,\nAlpine Loom")
    message = await classified_message(db, text=QUESTION, confidence=0.95)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status, suggestion.provider) == ("auto_send", "sent", "openai")
    assert suggestion.model_version == "shop-writer-1" and suggestion.prompt_version == "grounded-email-1"
    assert suggestion.usage["total_tokens"] == 366 and suggestion.usage["seconds"] >= 0
    (request,) = llm.requests
    system = request["body"]["messages"][0]["content"]
    assert request["path"] == "/v1/chat/completions" and request["authorization"] == "Bearer sk-test-key"
    assert request["body"]["max_tokens"] == 400 and request["body"]["model"] == "shop-writer-1"
    assert "price 18.00 EUR; stock 10" in system and "Never state a price" in system
    assert request["body"]["messages"][1] == {"role": "user", "content": message.own_words}


async def test_an_llm_that_invents_a_price_goes_to_approval_with_the_claim_marked(db, llm):
    await _openai_policy(db)
    await make_product(db, price="18.00")
    llm.reply = "Hi Ada,\n\nThe Merino Hiking Socks are on sale for 12.50 EUR this week!\n\nBest regards,\nAlpine Loom"
    message = await classified_message(db, text=QUESTION, confidence=0.97)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("approval", "pending")
    assert suggestion.grounding["ok"] is False
    assert [c["claim"] for c in suggestion.grounding["failed_claims"]] == ["12.50 EUR"]
    assert suggestion.sent_message_id is None


async def test_an_endpoint_that_keeps_failing_leaves_the_message_to_a_person(db, llm):
    await _openai_policy(db)
    await make_product(db)
    llm.status = 503
    message = await classified_message(db, text=QUESTION, confidence=0.95)
    suggestion = await decide_message(db, message.id)
    assert len(llm.requests) == 2  # the first call and MANCREL_LLM_MAX_RETRIES=1 retry
    assert (suggestion.decision, suggestion.status) == ("escalate", "escalated")
    assert suggestion.reasons == ["the LLM endpoint failed: InternalServerError"]
