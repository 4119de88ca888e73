"""What the Graph API stand-in checks of a template send, as the Cloud API documents it: `template.name`
and `language.code` of an approved template, and `components` giving exactly the values the template
asks for: a `header` parameter (`text`, with `parameter_name` in a NAMED template, or `image` / `video`
/ `document` with an https `link`, a document with its `filename`), the `body` parameters (in order,
or each with its `parameter_name`), and a `button` component (`sub_type: url`, `index`) with one text
parameter for each URL button whose address ends in {{1}}. Anything else is refused with Meta's codes:
132001 (no such template), 132000 (parameter count), 132012 (parameter format)."""

import re
from typing import Any
from urllib.parse import urlsplit

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
MISMATCH = "(#132000) Number of parameters does not match the expected number of params"
FORMAT = "(#132012) Parameter format does not match format in the created template"


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(_PLACEHOLDER.findall(text or "")))


def _text_parameters(given: list[dict], names: list[str], named: bool) -> str | None:
    if len(given) != len(names):
        return MISMATCH
    if any(p.get("type") != "text" or not p.get("text") for p in given):
        return FORMAT
    if named and sorted(p.get("parameter_name") or "" for p in given) != sorted(names):
        return FORMAT
    if not named and any("parameter_name" in p for p in given):
        return FORMAT
    return None


def _header(known: dict, given: list[dict], named: bool) -> str | None:
    kind = str(known.get("format") or "TEXT").lower()
    if kind == "text":
        return _text_parameters(given, _names(known.get("text") or ""), named)
    if len(given) != 1:
        return MISMATCH
    file = given[0].get(kind)
    if given[0].get("type") != kind or not isinstance(file, dict):
        return f"(#132012) header: Format mismatch, expected {kind.upper()}, received {given[0].get('type')}"
    link = urlsplit(str(file.get("link") or ""))
    if link.scheme != "https" or not link.hostname or (kind == "document") != bool(file.get("filename")):
        return "(#131009) Parameter value is not valid"
    return None


def _buttons(known: list[dict], sent: list[dict]) -> str | None:
    expected = {str(i) for i, b in enumerate(known) if b.get("type") == "URL" and "{{1}}" in (b.get("url") or "")}
    if sorted(str(c.get("index")) for c in sent) != sorted(expected):
        return MISMATCH
    for component in sent:
        parameters = component.get("parameters") or []
        if component.get("sub_type") != "url" or len(parameters) != 1 or parameters[0].get("type") != "text" \
                or not parameters[0].get("text"):
            return FORMAT
    return None


def refusal(templates: list[dict], sent: dict[str, Any]) -> str | None:
    """Why Meta would refuse this `template` object, or None."""
    known = next((t for t in templates if t["name"] == sent.get("name") and t["status"] == "APPROVED"
                  and t["language"] == (sent.get("language") or {}).get("code")), None)
    if known is None:
        return "(#132001) Template name does not exist in the translation"
    parts = {c["type"]: c for c in known["components"]}
    named = known.get("parameter_format") == "NAMED"
    given: dict[str, list[dict]] = {"header": [], "body": [], "button": []}
    for component in sent.get("components") or []:
        if component.get("type") not in given or (component["type"] != "button" and given[component["type"]]):
            return "(#100) Invalid parameter"
        given[component["type"]].append(component)
    header = (given["header"] or [{}])[0].get("parameters") or []
    problem = _header(parts["HEADER"], header, named) if "HEADER" in parts else (MISMATCH if header else None)
    if problem:
        return problem
    body = (given["body"] or [{}])[0].get("parameters") or []
    return (_text_parameters(body, _names(parts["BODY"]["text"]), named)
            or _buttons((parts.get("BUTTONS") or {}).get("buttons") or [], given["button"]))
