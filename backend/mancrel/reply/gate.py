"""The gate: from confidence, grounding and policy to a decision. Pure, so its edges (0.59, 0.60,
0.89, 0.90) are tested without a database.

    never_reply intent                                  -> ignore
    confidence < approval_threshold                     -> escalate (no draft is sent)
    no draft (nothing to say from the facts)            -> escalate
    >= auto_send_threshold, grounded, intent rule auto,
       and no loop/cap rule against it                  -> auto_send
    anything else                                       -> approval (the reasons say why)
"""

from dataclasses import dataclass, field

from mancrel.core.wording import percent
from mancrel.reply.models import Decision
from mancrel.reply.policy import IntentRule, Policy, intent_words


@dataclass
class Verdict:
    decision: Decision
    reasons: list[str] = field(default_factory=list)


def decide(policy: Policy, *, intent: str, confidence: float, has_draft: bool, grounded: bool,
           blockers: list[str] | None = None, no_draft_reason: str | None = None) -> Verdict:
    rule = policy.rule(intent)
    if rule == IntentRule.never_reply:
        return Verdict(Decision.ignore, [f"the policy never answers {intent_words(intent, article=False)} messages"])
    if confidence < policy.approval_threshold:
        return Verdict(Decision.escalate, [f"confidence {percent(confidence)} is below the approval threshold "
                                           f"{percent(policy.approval_threshold)}"])
    if not has_draft:
        return Verdict(Decision.escalate, [no_draft_reason or "no draft could be written from the facts"])
    reasons = list(blockers or [])
    if confidence < policy.auto_send_threshold:
        reasons.append(f"confidence {percent(confidence)} is below the auto-send threshold "
                       f"{percent(policy.auto_send_threshold)}")
    if not grounded:
        reasons.append("the draft makes claims the facts do not support")
    if rule != IntentRule.auto:
        reasons.append(f"the policy sends {intent_words(intent, article=False)} replies only after approval")
    return Verdict(Decision.approval, reasons) if reasons else Verdict(
        Decision.auto_send, [f"confidence {percent(confidence)} at or above {percent(policy.auto_send_threshold)}, "
                             "grounded, and allowed"])
