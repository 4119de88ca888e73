"""The rollup queries: each rewrites the rows of the days [:first, :last] (UTC) from the source
tables. They read other domains' tables in SQL on purpose: a rollup is a read model built where
the data lives, and pulling millions of rows through each domain's service would defeat it.

Parameters: :first and :last (dates), :start and :end (their UTC bounds, end exclusive), :nil
(the owner key of records nobody owns). Owners: a deal's, an activity's, and for anything
said in a conversation, the owner of the conversation's contact.
"""

from sqlalchemy import text

DEALS = text("""
INSERT INTO analytics_deal_days (day, owner_key, currency, created_count, won_count, won_amount, lost_count,
                                 won_cycle_days)
SELECT day, owner_key, currency, sum(created), sum(won), sum(won_amount), sum(lost), sum(cycle)
FROM (
    SELECT ((created_at) AT TIME ZONE 'UTC')::date AS day, coalesce(owner_id, :nil) AS owner_key, currency,
           1 AS created, 0 AS won, 0::numeric AS won_amount, 0 AS lost, 0.0::float8 AS cycle
    FROM deals WHERE deleted_at IS NULL AND created_at >= :start AND created_at < :end
    UNION ALL
    SELECT ((closed_at) AT TIME ZONE 'UTC')::date, coalesce(owner_id, :nil), currency, 0, (status = 'won')::int,
           CASE WHEN status = 'won' THEN amount ELSE 0 END, (status = 'lost')::int,
           CASE WHEN status = 'won' THEN extract(epoch FROM closed_at - created_at)::float8 / 86400 ELSE 0 END
    FROM deals WHERE deleted_at IS NULL AND status <> 'open' AND closed_at >= :start AND closed_at < :end
) AS x
GROUP BY day, owner_key, currency
""")

# A deal sits in a stage from one history row until the next: its open stretches, laid over the
# end of each day, give the open pipeline as it stood then (valued at the deal's amount now).
STAGES = text("""
WITH stretches AS (
    SELECT h.deal_id, h.to_stage_id, h.to_status, h.changed_at AS since,
           lead(h.changed_at) OVER (PARTITION BY h.deal_id ORDER BY h.changed_at, h.id) AS until
    FROM deal_stage_changes h WHERE h.changed_at < :end
), days AS (
    SELECT g::date AS day, (g + interval '1 day') AT TIME ZONE 'UTC' AS day_end
    FROM generate_series(CAST(:first AS timestamp), CAST(:last AS timestamp), interval '1 day') AS g
)
INSERT INTO analytics_stage_days (day, owner_key, stage_id, currency, deal_count, amount)
SELECT days.day, coalesce(d.owner_id, :nil), s.to_stage_id, d.currency, count(*), sum(d.amount)
FROM stretches s
JOIN days ON s.since < days.day_end AND (s.until IS NULL OR s.until >= days.day_end)
JOIN deals d ON d.id = s.deal_id AND (d.deleted_at IS NULL OR d.deleted_at >= days.day_end)
WHERE s.to_status = 'open' AND s.to_stage_id IS NOT NULL AND (s.until IS NULL OR s.until >= :start)
GROUP BY 1, 2, 3, 4
""")

PRODUCTS = text("""
INSERT INTO analytics_product_days (day, owner_key, product_key, currency, title, quantity, revenue)
SELECT ((d.closed_at) AT TIME ZONE 'UTC')::date, coalesce(d.owner_id, :nil), coalesce(li.product_id, :nil), li.currency,
       max(li.title), sum(li.quantity), sum(li.line_total)
FROM deal_line_items li JOIN deals d ON d.id = li.deal_id
WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at >= :start AND d.closed_at < :end
GROUP BY 1, 2, 3, 4
""")

MESSAGES = text("""
INSERT INTO analytics_message_days (day, owner_key, channel_kind, intent, message_count)
SELECT ((m.occurred_at) AT TIME ZONE 'UTC')::date, coalesce(ct.owner_id, :nil), ch.kind,
       coalesce(cl.corrected_intent, cl.intent, ''), count(*)
FROM messages m
JOIN channels ch ON ch.id = m.channel_id
JOIN conversations c ON c.id = m.conversation_id
LEFT JOIN contacts ct ON ct.id = c.contact_id
LEFT JOIN ai_classifications cl ON cl.id = m.classification_id
WHERE m.direction = 'inbound' AND NOT m.is_junk AND m.occurred_at >= :start AND m.occurred_at < :end
GROUP BY 1, 2, 3, 4
""")

# First response: each reply (an outbound message that did not fail) answers the customer's
# messages since the previous reply; it took from the first of them to the reply.
FIRST_RESPONSES = text("""
SELECT ((o.occurred_at) AT TIME ZONE 'UTC')::date AS day, coalesce(ct.owner_id, :nil) AS owner_key,
       extract(epoch FROM o.occurred_at - req.started)::float8 AS seconds
FROM messages o
JOIN conversations c ON c.id = o.conversation_id
LEFT JOIN contacts ct ON ct.id = c.contact_id
CROSS JOIN LATERAL (
    SELECT max(p.occurred_at) AS at FROM messages p
    WHERE p.conversation_id = o.conversation_id AND p.direction = 'outbound' AND p.status <> 'failed'
      AND (p.occurred_at, p.id) < (o.occurred_at, o.id)) AS prev
CROSS JOIN LATERAL (
    SELECT min(i.occurred_at) AS started FROM messages i
    WHERE i.conversation_id = o.conversation_id AND i.direction = 'inbound' AND NOT i.is_junk
      AND i.occurred_at <= o.occurred_at AND (prev.at IS NULL OR i.occurred_at > prev.at)) AS req
WHERE o.direction = 'outbound' AND o.status <> 'failed' AND o.occurred_at >= :start AND o.occurred_at < :end
  AND req.started IS NOT NULL
""")

# Resolution: closing a conversation (its audit row) resolves what the customer wrote since it
# was last closed; it took from the first of those messages to the close.
RESOLUTIONS = text("""
SELECT ((a.occurred_at) AT TIME ZONE 'UTC')::date AS day, coalesce(ct.owner_id, :nil) AS owner_key,
       extract(epoch FROM a.occurred_at - req.started)::float8 AS seconds
FROM audit_log a
JOIN conversations c ON c.id = CAST(a.entity_id AS uuid)
LEFT JOIN contacts ct ON ct.id = c.contact_id
CROSS JOIN LATERAL (
    SELECT max(p.occurred_at) AS at FROM audit_log p
    WHERE p.entity_type = 'conversation' AND p.entity_id = a.entity_id AND p.after ->> 'status' = 'closed'
      AND p.occurred_at < a.occurred_at) AS prev
CROSS JOIN LATERAL (
    SELECT min(i.occurred_at) AS started FROM messages i
    WHERE i.conversation_id = c.id AND i.direction = 'inbound' AND NOT i.is_junk
      AND i.occurred_at <= a.occurred_at AND (prev.at IS NULL OR i.occurred_at > prev.at)) AS req
WHERE a.entity_type = 'conversation' AND a.after ->> 'status' = 'closed'
  AND a.occurred_at >= :start AND a.occurred_at < :end AND req.started IS NOT NULL
""")

AUTOMATION = text("""
INSERT INTO analytics_automation_days (day, owner_key, intent, status, suggestion_count)
SELECT ((s.created_at) AT TIME ZONE 'UTC')::date, coalesce(ct.owner_id, :nil), s.intent, s.status, count(*)
FROM reply_suggestions s LEFT JOIN contacts ct ON ct.id = s.contact_id
WHERE s.created_at >= :start AND s.created_at < :end
GROUP BY 1, 2, 3, 4
""")

ACTIVITIES = text("""
INSERT INTO analytics_activity_days (day, owner_key, activity_type, activity_count, done_count)
SELECT ((occurred_at) AT TIME ZONE 'UTC')::date, coalesce(owner_id, :nil), type::text, count(*), count(done_at)
FROM activities WHERE deleted_at IS NULL AND occurred_at >= :start AND occurred_at < :end
GROUP BY 1, 2, 3
""")

# The months of :first..:last, summed again from their days (whole months, so any day's change
# reaches its month).
ACTIVITY_MONTHS = text("""
INSERT INTO analytics_activity_months (month, owner_key, activity_type, activity_count, done_count)
SELECT date_trunc('month', day)::date, owner_key, activity_type, sum(activity_count), sum(done_count)
FROM analytics_activity_days
WHERE day >= date_trunc('month', CAST(:first AS date))::date
  AND day < (date_trunc('month', CAST(:last AS date)) + interval '1 month')::date
GROUP BY 1, 2, 3
""")

# Days whose rows changed since :since, beyond today and yesterday (which every refresh redoes):
# a deal closed or deleted late, a suggestion reviewed days after it was decided.
CHANGED_DAYS = text("""
SELECT ((created_at) AT TIME ZONE 'UTC')::date FROM deals WHERE updated_at > :since
UNION SELECT ((closed_at) AT TIME ZONE 'UTC')::date FROM deals WHERE updated_at > :since AND closed_at IS NOT NULL
UNION SELECT ((created_at) AT TIME ZONE 'UTC')::date FROM reply_suggestions WHERE updated_at > :since
UNION SELECT ((occurred_at) AT TIME ZONE 'UTC')::date FROM activities WHERE updated_at > :since
""")
