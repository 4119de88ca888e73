"""What a new password must be: long enough, and not among the first guesses of an attacker.

Guessers try lists of common passwords with the usual decorations first, so a password is
refused when it, or its core, is in `common_passwords.txt`: compared without case and
separators, with l33t spelling read back (p@ssw0rd), without the digits and symbols people
add around a word (Sunshine2024!), and as the unit it repeats (abcabcabc). Also refused:
the part of the user's own email before the @, decorated the same ways.
"""

import re
from functools import cache
from importlib.resources import files

from mancrel.core.errors import InvalidInput

MIN_LENGTH = 10


class WeakPassword(InvalidInput):
    title = "Password too easy to guess"
    slug = "weak-password"

_SEPARATORS = re.compile(r"[\s._\-'+]+")
_DECORATION = "0123456789!@#$%^&*()?~`=,;:/\\|[]{}<>\"'"
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


@cache
def common_passwords() -> frozenset[str]:
    text = files("mancrel.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _repeated_unit(text: str) -> str:
    """"abcabcabc" -> "abc"; text that is not a repetition comes back whole."""
    match = re.fullmatch(r"(.+?)\1+", text)
    return match.group(1) if match else text


def _variants(password: str) -> set[str]:
    lower = password.lower()
    compact = _SEPARATORS.sub("", lower)
    core = compact.strip(_DECORATION)
    candidates = {lower, compact, compact.translate(_LEET), core, core.translate(_LEET)}
    # A password of digits and symbols only has an empty core: that variant says nothing.
    return {v for v in candidates | {_repeated_unit(c) for c in candidates} if v}


def weakness(password: str, *, email: str | None = None) -> str | None:
    """Why `password` is too easy to guess, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    variants = _variants(password)
    if any(len(v) <= 2 for v in variants):
        return "Use more than a few different characters."
    if variants & common_passwords():
        return "This password is one of the most commonly used ones. Choose one that is harder to guess."
    local = _SEPARATORS.sub("", (email or "").split("@")[0].lower())
    if len(local) >= 3 and local in variants:
        return "Do not build your password from your email address."
    return None


def check(password: str, *, email: str | None = None) -> None:
    """Refuse a weak new password with a 422 that names the field, like any invalid input."""
    reason = weakness(password, email=email)
    if reason:
        raise WeakPassword(reason, errors=[{"field": "password", "in": "body", "message": reason}])
