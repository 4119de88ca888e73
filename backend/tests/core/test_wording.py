"""Counts and ages as a rep reads them on lead cards and reply notices: never "1 messages" or "0 days ago"."""
import uuid
from datetime import UTC, datetime, timedelta

from mancrel.core.wording import days_ago, percent, plural
from mancrel.insights.lead_score import describe


def test_plural_fits_the_count():
    assert [plural(0, "message"), plural(1, "message"), plural(3, "message")] == [
        "0 messages", "1 message", "3 messages"]
    assert plural(1, "call, meeting or note", "calls, meetings or notes") == "1 call, meeting or note"
    assert plural(1.0, "deal") == "1 deal"


def test_ages_in_days_read_as_a_person_says_them():
    assert [days_ago(0.2), days_ago(1), days_ago(5)] == ["today", "yesterday", "5 days ago"]


def test_lead_score_reasons_with_one_of_each():
    raw = {"inbound_30d": 1, "complaints": 1, "activities_30d": 1, "past_wins": 1, "days_since_inbound": 0.0,
           "negative": 1, "inbound_90d": 1}
    assert describe("messages_30d", raw) == "1 message in the last 30 days"
    assert describe("complaints", raw) == "1 complaint or return in 90 days"
    assert describe("activities_30d", raw) == "1 call, meeting or note in 30 days"
    assert describe("past_wins", raw) == "won 1 deal before"
    assert describe("recency", raw) == "last wrote today"
    assert describe("recency", {"days_since_inbound": 1.0}) == "last wrote yesterday"
    assert describe("negative_share", raw) == "1 of 1 message negative"
    assert describe("messages_30d", {"inbound_30d": 4}) == "4 messages in the last 30 days"


def test_whatsapp_refusal_says_days_without_brackets():
    from mancrel.inbox import service  # noqa: F401  (loads inbox.chat the way the app does; alone it is circular)
    from mancrel.inbox.chat import free_text_refusal
    now = datetime(2026, 12, 6, 12, tzinfo=UTC)
    text = free_text_refusal("whatsapp", uuid.uuid4(), now - timedelta(days=3), now, human=True)
    assert text is not None and "last wrote 3 days ago" in text and "day(s)" not in text


def test_percent_never_rounds_up_to_a_threshold():
    assert [percent(0.899), percent(0.89999), percent(0.9), percent(0.5), percent(0.9996)] == [
        "89.9%", "89.9%", "90%", "50%", "99.9%"]
