"""a folded full-name key per live contact in contact_identity_keys (kind "name")

`GET /contacts/duplicates` pairs contacts by full name too, and grouped every live contact's
folded name on each call: ~0.9 s at 200k contacts. The trigger that keeps each email's and
phone's holders now keeps each folded name's holders as well, so shared names are read from the
same partial index of keys held by more than one contact.

Two kinds: "name" (the folded name: all its live holders, counted by the rule "at most 3 namesakes
pair whoever they are") and "name_company" (the folded name, chr(31), the company id: its holders at
one company, the groups when namesakes are many). Both are walked in key order like emails and
phones; a small partial index holds the names that 2 or 3 contacts share.

The folding lives in one SQL function, `contact_name_key(first, last)`: lower-cased, ß -> ss,
common European accents to their base letter (translate(); the constants are frozen here),
whitespace collapsed; null unless both parts are filled. The application asks the database for
a contact's key instead of folding again in Python, so the two cannot disagree.

Revision ID: 0030_contact_name_keys
Revises: 0029_failed_reply_task
Create Date: 2026-12-06 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_contact_name_keys"
down_revision: str | Sequence[str] | None = "0029_failed_reply_task"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCENTED = "áàâäãåāăąçćčďéèêëēėęěíìîïīįłñńňóòôöõøōőŕřśšşťúùûüūůűýÿźżž"
PLAIN = "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuyyzzz"

# A contact's keys, each once even if an array repeats a value; `row` is OLD or NEW.
KEYS_0008 = """
    SELECT DISTINCT k.kind, k.value FROM (
        SELECT 'email' AS kind, unnest({row}.emails)::text AS value
        UNION ALL
        SELECT 'phone', unnest({row}.phones)::text
    ) AS k ORDER BY k.kind, k.value
"""
KEYS = """
    SELECT DISTINCT k.kind, k.value FROM (
        SELECT 'email' AS kind, unnest({row}.emails)::text AS value
        UNION ALL
        SELECT 'phone', unnest({row}.phones)::text
        UNION ALL
        SELECT 'name', contact_name_key({row}.first_name, {row}.last_name)
        UNION ALL
        SELECT 'name_company', contact_name_key({row}.first_name, {row}.last_name) || chr(31) || {row}.company_id
    ) AS k WHERE k.value IS NOT NULL ORDER BY k.kind, k.value
"""

# Keys are visited in (kind, value) order so that two transactions touching the same keys lock
# their rows in the same order and cannot deadlock.
FUNCTION = """
    CREATE OR REPLACE FUNCTION contacts_identity_keys() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        key record;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
            FOR key IN {old} LOOP
                UPDATE contact_identity_keys SET contact_ids = array_remove(contact_ids, OLD.id)
                WHERE kind = key.kind AND value = key.value;
                DELETE FROM contact_identity_keys
                WHERE kind = key.kind AND value = key.value AND cardinality(contact_ids) = 0;
            END LOOP;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
            FOR key IN {new} LOOP
                INSERT INTO contact_identity_keys (kind, value, contact_ids)
                VALUES (key.kind, key.value, ARRAY[NEW.id])
                ON CONFLICT (kind, value) DO UPDATE
                SET contact_ids = array_append(array_remove(contact_identity_keys.contact_ids, NEW.id), NEW.id);
            END LOOP;
        END IF;
        RETURN NULL;
    END $$;
"""

UPDATE_TRIGGER = """
    CREATE TRIGGER contacts_identity_keys_update AFTER UPDATE OF {columns} ON contacts
    FOR EACH ROW WHEN ({changed} OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION contacts_identity_keys()
"""


def upgrade() -> None:
    op.alter_column("contact_identity_keys", "kind", type_=sa.String(12), existing_nullable=False)
    # Both parts filled (not only whitespace); the key is cut to the column's 320 characters.
    op.execute(f"""
        CREATE FUNCTION contact_name_key(first text, last text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE WHEN first ~ '^\\s*$' OR last ~ '^\\s*$' THEN NULL
                   ELSE left(btrim(regexp_replace(
                       translate(replace(lower(first || ' ' || last), 'ß', 'ss'), '{ACCENTED}', '{PLAIN}'),
                       '\\s+', ' ', 'g')), 320) END
        $$
    """)
    op.execute(FUNCTION.format(old=KEYS.format(row="OLD"), new=KEYS.format(row="NEW")))
    op.execute("DROP TRIGGER contacts_identity_keys_update ON contacts")
    op.execute(UPDATE_TRIGGER.format(
        columns="emails, phones, first_name, last_name, company_id, deleted_at",
        changed="OLD.emails IS DISTINCT FROM NEW.emails OR OLD.phones IS DISTINCT FROM NEW.phones"
                " OR OLD.first_name IS DISTINCT FROM NEW.first_name OR OLD.last_name IS DISTINCT FROM NEW.last_name"
                " OR OLD.company_id IS DISTINCT FROM NEW.company_id"))
    op.execute("""
        INSERT INTO contact_identity_keys (kind, value, contact_ids)
        SELECT kind, value, array_agg(id) FROM (
            SELECT id, 'name' AS kind, contact_name_key(first_name, last_name) AS value
            FROM contacts WHERE deleted_at IS NULL
            UNION ALL
            SELECT id, 'name_company', contact_name_key(first_name, last_name) || chr(31) || company_id
            FROM contacts WHERE deleted_at IS NULL
        ) AS named WHERE value IS NOT NULL GROUP BY kind, value
    """)
    # The names few enough (FEW_SHARING_A_NAME in contact/duplicates.py) to pair whoever holds them.
    op.create_index("ix_contact_identity_keys_few_names", "contact_identity_keys", ["value"],
                    postgresql_where=sa.text("kind = 'name' AND cardinality(contact_ids) BETWEEN 2 AND 3"))


def downgrade() -> None:
    op.execute("DROP TRIGGER contacts_identity_keys_update ON contacts")
    op.execute(UPDATE_TRIGGER.format(
        columns="emails, phones, deleted_at",
        changed="OLD.emails IS DISTINCT FROM NEW.emails OR OLD.phones IS DISTINCT FROM NEW.phones"))
    op.execute(FUNCTION.format(old=KEYS_0008.format(row="OLD"), new=KEYS_0008.format(row="NEW")))
    op.drop_index("ix_contact_identity_keys_few_names", table_name="contact_identity_keys")
    op.execute("DELETE FROM contact_identity_keys WHERE kind IN ('name', 'name_company')")
    op.execute("DROP FUNCTION contact_name_key(text, text)")
    op.alter_column("contact_identity_keys", "kind", type_=sa.String(5), existing_nullable=False)
