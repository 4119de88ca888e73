"""What the product does, as Prometheus metrics: the customer-message loop from a mail arriving to
a reply sent or a person owning it. Defined here, in one place, and counted by one-line calls
where each thing happens (channel/tasks.py, channel/webhook_router.py, inbox/processing.py,
reply/decision.py, reply/suggestions.py, reply/openai_provider.py). The gauges that describe
shared state (escalations, channel health, IMAP poll lag) are measured from the database when
/metrics is scraped (system/product_gauges.py).

Label values are bounded: channel kinds, outcomes, decisions, intents (the taxonomy), and
channel names (admins create a handful). Label sets nobody may have met yet on a fresh install
(LLM calls without an endpoint, reviews before the first draft) are created at zero, so panels
and alerts see a series from the first scrape rather than "no data".

Counters are counted when the work is done inside its transaction: a job that fails after
counting and is retried counts twice. The figures are rates for dashboards, not ledgers; the
database holds the exact record.
"""

from datetime import datetime
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from mancrel.core.db import utcnow

# Seconds: a message classified in its batch within a second or two; replies waiting on an LLM
# for tens of seconds; a backlog for minutes.
_LATENCY_BUCKETS = (0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 3600)

INBOUND = Counter("mancrel_inbound_messages_total",
                  "Customer messages taken in, by channel kind and outcome: accepted (a lead's message), "
                  "duplicate (already had it), junk (automated mail), bounced (a bounce of our mail)",
                  ["channel_kind", "outcome"])
OUTBOUND = Counter("mancrel_outbound_messages_total", "Replies handed to a channel, by kind and outcome: "
                   "sent, failed", ["channel_kind", "outcome"])
AI_DECISIONS = Counter("mancrel_ai_decisions_total", "The reply step's decisions by kind (auto_send, approval, "
                       "escalate, ignore), intent and mode (live, shadow)", ["decision", "intent", "mode"])
GROUNDING_FAILURES = Counter("mancrel_grounding_failures_total",
                             "Drafts stating a price, stock level or SKU the catalogue does not hold")
SUGGESTION_REVIEWS = Counter("mancrel_suggestion_reviews_total",
                             "People's reviews of drafts: approved, edited, rejected", ["outcome"])
LLM_CALLS = Counter("mancrel_llm_calls_total", "Calls to the LLM endpoint", ["provider"])
LLM_ERRORS = Counter("mancrel_llm_errors_total", "LLM calls that failed (timeout, refused, HTTP error)",
                     ["provider"])
LLM_TOKENS = Counter("mancrel_llm_tokens_total", "LLM tokens used, by kind: prompt, completion",
                     ["provider", "kind"])
CLASSIFICATION_LATENCY = Histogram("mancrel_classification_latency_seconds",
                                   "From a customer message's arrival to its classification",
                                   buckets=_LATENCY_BUCKETS)
REPLY_LATENCY = Histogram("mancrel_reply_latency_seconds", "From a customer message's arrival to the reply "
                          "step's decision (sent, waiting for approval, escalated)", ["decision"],
                          buckets=_LATENCY_BUCKETS)
# Measured at scrape time by the API; "mostrecent": the last measurement is the truth.
ESCALATIONS_OPEN = Gauge("mancrel_escalations_open", "Escalated conversations whose task is not done",
                         multiprocess_mode="mostrecent")
ESCALATIONS_OVERDUE = Gauge("mancrel_escalations_overdue", "Open escalations that missed a due time (past due "
                            "now, or re-routed for it)",
                            multiprocess_mode="mostrecent")
CHANNEL_FAILING = Gauge("mancrel_channel_failing", "1 when an enabled channel's last error is newer than its "
                        "last success (mail received or mailbox polled)", ["channel", "kind"],
                        multiprocess_mode="mostrecent")
IMAP_POLL_LAG = Gauge("mancrel_imap_poll_lag_seconds", "Seconds since an IMAP channel's mailbox was last "
                      "polled successfully (since it was created, when never)", ["channel"],
                      multiprocess_mode="mostrecent")

LLM_PROVIDERS = ("openai",)
for _provider in LLM_PROVIDERS:
    LLM_CALLS.labels(_provider)
    LLM_ERRORS.labels(_provider)
    for _kind in ("prompt", "completion"):
        LLM_TOKENS.labels(_provider, _kind)
for _outcome in ("approved", "edited", "rejected"):
    SUGGESTION_REVIEWS.labels(_outcome)
for _outcome in ("sent", "failed"):
    OUTBOUND.labels("email", _outcome)


def _since(at: datetime | None) -> float:
    return max(0.0, (utcnow() - at).total_seconds()) if at is not None else 0.0


def inbound(channel_kind: str, message: Any) -> None:
    """One customer message taken in: the inbox's stored Message, or None when the channel already
    had it. Read by its junk label: the junk gate (inbox/junk.py) names a bounce "bounce (...)"."""
    reason = getattr(message, "junk_reason", None) or ""
    outcome = ("duplicate" if message is None else "bounced" if reason.startswith("bounce") else
               "junk" if getattr(message, "is_junk", False) else "accepted")
    INBOUND.labels(channel_kind, outcome).inc()


def outbound(channel_kind: str, *, sent: bool) -> None:
    OUTBOUND.labels(channel_kind, "sent" if sent else "failed").inc()


def classified(received_at: datetime | None) -> None:
    CLASSIFICATION_LATENCY.observe(_since(received_at))


def decided(*, decision: str, intent: str, mode: str, grounded: bool | None, received_at: datetime | None) -> None:
    """The reply step's decision; `grounded` None when no draft was checked."""
    AI_DECISIONS.labels(decision, intent, mode).inc()
    if grounded is False:
        GROUNDING_FAILURES.inc()
    REPLY_LATENCY.labels(decision).observe(_since(received_at))


def reviewed(outcome: str) -> None:
    SUGGESTION_REVIEWS.labels(outcome).inc()


def llm_call(provider: str, *, failed: bool = False, usage: dict | None = None) -> None:
    LLM_CALLS.labels(provider).inc()
    if failed:
        LLM_ERRORS.labels(provider).inc()
    for kind in ("prompt", "completion"):
        tokens = (usage or {}).get(f"{kind}_tokens")
        if tokens:
            LLM_TOKENS.labels(provider, kind).inc(tokens)
