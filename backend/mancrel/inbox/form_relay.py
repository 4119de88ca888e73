"""Mail a website's contact form relays: sent From a no-reply address of the shop or of a form
service (or from the shop's own address), with the customer who filled in the form as Reply-To.

A person wrote it, so it is read as theirs: the Reply-To person is the sender (contact,
counterpart, whom replies go to) and the junk gate judges the rest of the mail as it would theirs.
Anything else automated about it (bulk or list headers, Auto-Submitted, a bounce, an auto-reply)
keeps it junk, as does a Reply-To that is itself a machine or the shop.
"""

import re
from dataclasses import replace
from email.utils import getaddresses

from mancrel.inbox import junk
from mancrel.inbox.inbound import InboundEmail

# Senders form plugins and services use besides no-reply (WordPress, Shopify's mailer, forms@...).
_FORM_LOCAL_PARTS = re.compile(r"^(wordpress|mailer|forms?|form[-_.]?submissions?|contact[-_.]?forms?|webforms?)$")


def reply_to_person(reply_to: str | None, *, shop_addresses: set[str]) -> tuple[str, str] | None:
    """(address, name) of the one person a Reply-To header names; None for none, several, a machine
    or the shop itself."""
    people = [(name, address.strip()) for name, address in getaddresses([reply_to or ""]) if "@" in address]
    if len(people) != 1:
        return None
    name, address = people[0]
    if junk.machine_address(address) or address.lower() in shop_addresses:
        return None
    return address, name


def is_relay_sender(address: str, *, shop_addresses: set[str]) -> bool:
    address = address.strip().lower()
    return (junk.machine_address(address) or address in shop_addresses
            or bool(_FORM_LOCAL_PARTS.match(junk.local_part(address))))


def resolve(email: InboundEmail, *, shop_addresses: set[str]) -> InboundEmail:
    """The mail as its Reply-To person's when a form relayed it; otherwise unchanged."""
    if not is_relay_sender(email.from_address, shop_addresses=shop_addresses):
        return email
    person = reply_to_person(email.header("reply-to"), shop_addresses=shop_addresses)
    if person is None or person[0].lower() == email.from_address.strip().lower():
        return email
    theirs = replace(email, from_address=person[0], from_name=person[1] or "")
    return theirs if junk.judge(theirs, shop_addresses=shop_addresses) is None else email
