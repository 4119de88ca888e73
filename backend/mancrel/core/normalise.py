"""Normalising the identifiers duplicates are detected by: emails, phones, web domains."""

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def email(value: str) -> str:
    """Trimmed and lower-cased; raises ValueError when it is not an email address."""
    cleaned = value.strip().lower()
    try:
        validate_email(cleaned, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"{value!r} is not a valid email address") from exc
    return cleaned


def phone(value: str) -> str:
    """E.164 (+4915112345678). Numbers need their country code: we sell across borders."""
    raw = value.strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        parsed = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number with a country code (+...)") from exc
    if not phonenumbers.is_possible_number(parsed) or not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"{value!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def domain(value: str) -> str:
    """`https://www.Example.com/about` -> `example.com`."""
    cleaned = value.strip().lower()
    cleaned = re.sub(r"^[a-z][a-z0-9+.-]*://", "", cleaned)
    cleaned = cleaned.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].rstrip(".")
    cleaned = cleaned.removeprefix("www.")
    if not _DOMAIN.match(cleaned):
        raise ValueError(f"{value!r} is not a web domain")
    return cleaned


def unique(values: list[str]) -> list[str]:
    """Order kept, repeats dropped."""
    return list(dict.fromkeys(values))


def tags(values: list[str]) -> list[str]:
    return unique([t.strip() for t in values if t.strip()])
