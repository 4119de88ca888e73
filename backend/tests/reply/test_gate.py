"""The gate's edges: exactly at and just under each threshold, and the per-intent rules."""

import pytest

from mancrel.reply.gate import decide
from mancrel.reply.models import Decision
from mancrel.reply.policy import Policy


@pytest.mark.parametrize(("confidence", "expected"), [
    (0.59, Decision.escalate), (0.60, Decision.approval), (0.89, Decision.approval), (0.90, Decision.auto_send),
    (0.5999, Decision.escalate), (0.8999, Decision.approval), (1.0, Decision.auto_send)])
def test_thresholds_at_their_exact_edges(confidence, expected):
    verdict = decide(Policy(), intent="pricing", confidence=confidence, has_draft=True, grounded=True)
    assert verdict.decision == expected, verdict.reasons


def test_an_ungrounded_draft_is_never_sent_on_its_own_however_confident():
    verdict = decide(Policy(), intent="pricing", confidence=0.99, has_draft=True, grounded=False)
    assert verdict.decision == Decision.approval
    assert verdict.reasons == ["the draft makes claims the facts do not support"]


@pytest.mark.parametrize("intent", ["complaint", "returns_refund", "partnership", "out_of_scope"])
def test_intents_that_default_to_approval_only(intent):
    verdict = decide(Policy(), intent=intent, confidence=0.99, has_draft=True, grounded=True)
    assert verdict.decision == Decision.approval
    assert f"sends {intent.replace('_', ' ')} replies only after approval" in verdict.reasons[0]


def test_spam_is_never_answered_even_when_confident():
    assert decide(Policy(), intent="spam", confidence=0.99, has_draft=True, grounded=True).decision == Decision.ignore


def test_nothing_to_say_escalates_with_the_providers_reason():
    verdict = decide(Policy(), intent="pricing", confidence=0.95, has_draft=False, grounded=False,
                     no_draft_reason="no product from the catalogue matches the question")
    assert verdict.decision == Decision.escalate
    assert verdict.reasons == ["no product from the catalogue matches the question"]


def test_a_loop_or_cap_rule_holds_back_an_otherwise_sendable_reply():
    verdict = decide(Policy(), intent="pricing", confidence=0.95, has_draft=True, grounded=True,
                     blockers=["the last reply in this conversation was automatic; a person answers next"])
    assert verdict.decision == Decision.approval


def test_thresholds_are_the_policys():
    policy = Policy(auto_send_threshold=0.75, approval_threshold=0.40)
    assert decide(policy, intent="pricing", confidence=0.75, has_draft=True, grounded=True).decision == \
        Decision.auto_send
    assert decide(policy, intent="pricing", confidence=0.39, has_draft=True, grounded=True).decision == \
        Decision.escalate
