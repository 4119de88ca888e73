"""What an approved WhatsApp template needs from the rep, read from the template object Meta lists
(`GET /{waba_id}/message_templates`: `parameter_format` and `components` with their `example` values).

Offered are templates whose every variable the composer has a field for: a header of TEXT (with at
most one variable), IMAGE, VIDEO or DOCUMENT (the rep gives a link); a body with positional ({{1}})
or named ({{first_name}}) parameters; a static footer; QUICK_REPLY, PHONE_NUMBER and URL buttons (a
URL button's variable is the end of its address). Left out, because they need input of another kind:
LOCATION (and GIF or product) headers, carousels and limited-time offers, authentication templates'
one-time-password buttons, copy-code, flow, catalogue and other buttons with their own parameters.
"""

import re
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
# Meta's rule for a named parameter: lowercase letters, digits and underscores, starting with a letter.
_NAME = re.compile(r"[a-z][a-z0-9_]*")
MEDIA_FORMATS = ("IMAGE", "VIDEO", "DOCUMENT")
BUTTON_TYPES = ("QUICK_REPLY", "PHONE_NUMBER", "URL")
_URL_VARIABLE = "{{1}}"  # a URL button's one variable, always at the end of its address


@dataclass(frozen=True)
class Parameter:
    name: str  # "1", "2"... or a NAMED template's name
    example: str | None = None


@dataclass(frozen=True)
class Header:
    format: str  # TEXT, IMAGE, VIDEO or DOCUMENT
    text: str | None = None
    parameter: Parameter | None = None


@dataclass(frozen=True)
class Button:
    index: int
    type: str  # QUICK_REPLY, PHONE_NUMBER or URL
    text: str
    url: str | None = None
    phone_number: str | None = None
    parameter: Parameter | None = None  # a URL button's {{1}}


@dataclass(frozen=True)
class Template:
    name: str
    language: str
    category: str
    parameter_format: str  # POSITIONAL or NAMED
    body: str  # with its placeholders
    body_parameters: tuple[Parameter, ...]
    header: Header | None = None
    footer: str | None = None
    buttons: tuple[Button, ...] = ()

    @property
    def parameter_count(self) -> int:
        return len(self.body_parameters)

    @property
    def named(self) -> bool:
        return self.parameter_format == "NAMED"


class _NotOffered(Exception):
    """A template with a part the composer cannot fill (see the module's docstring)."""


def _variables(text: str, *, named: bool) -> list[str]:
    """The text's variables in order: {{1}}..{{n}} (each once, none skipped) or names; _NotOffered otherwise."""
    found = list(dict.fromkeys(PLACEHOLDER.findall(text)))
    if named:
        if not all(_NAME.fullmatch(p) for p in found):
            raise _NotOffered
        return found
    if not all(p.isdigit() for p in found) or {int(p) for p in found} != set(range(1, len(found) + 1)):
        raise _NotOffered
    return sorted(found, key=int)


def _examples(example: Any, positional_key: str, named_key: str) -> dict[str, str]:
    """Meta's sample values by variable name: `body_text: [["Ann", ...]]` / `header_text: ["..."]`, or
    `*_named_params: [{param_name, example}]`."""
    example = example if isinstance(example, dict) else {}
    found: dict[str, str] = {}
    for pair in example.get(named_key) or []:
        if isinstance(pair, dict) and pair.get("param_name") and pair.get("example") is not None:
            found[str(pair["param_name"])] = str(pair["example"])
    values = example.get(positional_key) or []
    if values and isinstance(values[0], list):  # the body's list of one list
        values = values[0]
    found.update({str(n): str(v) for n, v in enumerate(values, start=1) if isinstance(v, str | int | float)})
    return found


def _parameters(text: str, example: Any, kind: str, *, named: bool) -> tuple[Parameter, ...]:
    samples = _examples(example, f"{kind}_text", f"{kind}_text_named_params")
    return tuple(Parameter(name, samples.get(name)) for name in _variables(text, named=named))


def _header(component: dict[str, Any], *, named: bool) -> Header:
    kind = str(component.get("format") or "TEXT").upper()
    if kind in MEDIA_FORMATS:
        return Header(kind)
    if kind != "TEXT":
        raise _NotOffered  # LOCATION, GIF, PRODUCT: values we have no field for
    text = str(component.get("text") or "")
    parameters = _parameters(text, component.get("example"), "header", named=named)
    if len(parameters) > 1:
        raise _NotOffered
    return Header("TEXT", text, parameters[0] if parameters else None)


def _button(index: int, raw: Any) -> Button:
    if not isinstance(raw, dict) or str(raw.get("type") or "").upper() not in BUTTON_TYPES:
        raise _NotOffered  # OTP, COPY_CODE, FLOW, CATALOG, MPM...: parameters of their own
    kind, label = str(raw["type"]).upper(), str(raw.get("text") or "")
    if kind != "URL":
        return Button(index, kind, label, phone_number=str(raw["phone_number"]) if raw.get("phone_number") else None)
    url = str(raw.get("url") or "")
    found = PLACEHOLDER.findall(url)
    if not found:
        return Button(index, kind, label, url=url)
    if found != ["1"] or not url.endswith(_URL_VARIABLE):
        raise _NotOffered
    prefix = url[:-len(_URL_VARIABLE)]
    sample = next((str(e) for e in raw.get("example") or [] if isinstance(e, str)), None)
    suffix = sample[len(prefix):] if sample and sample.startswith(prefix) else None
    return Button(index, kind, label, url=url, parameter=Parameter("1", suffix or None))


def _format(raw: dict[str, Any], texts: list[str]) -> str:
    """Meta's `parameter_format`; older answers without it: NAMED when the placeholders are names."""
    declared = str(raw.get("parameter_format") or "").upper()
    if declared in ("POSITIONAL", "NAMED"):
        return declared
    found = [p for text in texts for p in PLACEHOLDER.findall(text)]
    return "NAMED" if found and not any(p.isdigit() for p in found) else "POSITIONAL"


def _read(raw: dict[str, Any]) -> Template:
    components = [c for c in raw.get("components") or [] if isinstance(c, dict)]
    by_type: dict[str, dict[str, Any]] = {}
    for component in components:
        kind = str(component.get("type") or "").upper()
        if kind not in ("HEADER", "BODY", "FOOTER", "BUTTONS") or kind in by_type:
            raise _NotOffered  # carousels, limited-time offers: parts of their own to fill
        by_type[kind] = component
    body = by_type.get("BODY") or {}
    if not body.get("text"):
        raise _NotOffered
    header = by_type.get("HEADER")
    parameter_format = _format(raw, [str(body["text"]), str((header or {}).get("text") or "")])
    named = parameter_format == "NAMED"
    buttons = [b for b in (by_type.get("BUTTONS") or {}).get("buttons") or []]
    return Template(
        name=str(raw["name"]), language=str(raw["language"]), category=str(raw.get("category") or ""),
        parameter_format=parameter_format, body=str(body["text"]),
        body_parameters=_parameters(str(body["text"]), body.get("example"), "body", named=named),
        header=_header(header, named=named) if header else None,
        footer=(str(by_type["FOOTER"].get("text") or "") or None) if "FOOTER" in by_type else None,
        buttons=tuple(_button(i, b) for i, b in enumerate(buttons)))


def offered(raw: dict[str, Any]) -> Template | None:
    """One entry of Meta's list as we offer it; None unless approved and every variable has a field."""
    if raw.get("status") != "APPROVED" or not raw.get("name") or not raw.get("language"):
        return None
    try:
        return _read(raw)
    except _NotOffered:
        return None
