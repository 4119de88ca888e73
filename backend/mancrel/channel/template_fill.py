"""A WhatsApp template filled in: the rep's values checked against what the approved template needs
(a 422 naming the field, before anything is queued), the text the customer will read, and the Graph
API's `template` object the send job posts (`components` of `header`, `body` and `button` parameters).

Meta's limits (the Cloud API's message reference): a header parameter holds at most 60 characters; a
body parameter 1,024 when the template has other components, 32,768 when it is body alone; a URL
button's address at most 2,000. No parameter may hold a line break, a tab or more than four spaces in
a row (error 132018). Meta downloads a media header's file itself, so its link must be https with a
host; a document is shown to the customer under its filename, which is required.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mancrel.channel.exceptions import InvalidTemplateReply
from mancrel.channel.schemas import TemplateMedia, TemplateReply
from mancrel.channel.template_shape import MEDIA_FORMATS, PLACEHOLDER, Button, Template

HEADER_LIMIT = 60
BODY_PARAMETER_LIMIT, BODY_ONLY_PARAMETER_LIMIT = 1024, 32768
URL_LIMIT = 2000
_UNSENDABLE = re.compile(r"[\n\r\t]| {5,}")


@dataclass(frozen=True)
class Filled:
    sent: dict[str, Any]  # kept on the message (headers.template): the values the send job posts
    text: str  # what the customer reads: header, body, footer and buttons


def _refusal(detail: str, field: str) -> InvalidTemplateReply:
    return InvalidTemplateReply(detail, errors=[{"field": field, "in": "body", "message": detail}])


def _value(value: str, label: str, field: str, limit: int) -> str:
    if not value.strip():
        raise _refusal(f"{label} is empty.", field)
    if _UNSENDABLE.search(value):
        raise _refusal(f"{label} has a line break, a tab or more than four spaces in a row, which WhatsApp "
                       "refuses in template parameters.", field)
    if len(value) > limit:
        raise _refusal(f"{label} has {len(value)} characters; WhatsApp takes at most {limit} there.", field)
    return value


def _placeholders(names: list[str]) -> str:
    return ", ".join(f"{{{{{n}}}}}" for n in names) or "none"


def _named_body(template: Template, choice: TemplateReply, limit: int) -> dict[str, str]:
    names = [p.name for p in template.body_parameters]
    if choice.parameters:
        raise _refusal(f"The template {template.name} names its parameters ({_placeholders(names)}): send them "
                       "as named_parameters.", "template.parameters")
    extra = [n for n in choice.named_parameters if n not in names]
    if extra:
        raise _refusal(f"The template {template.name} has no parameter {{{{{extra[0]}}}}}; it takes "
                       f"{_placeholders(names)}.", f"template.named_parameters.{extra[0]}")
    missing = [n for n in names if n not in choice.named_parameters]
    if missing:
        raise _refusal(f"Parameter {{{{{missing[0]}}}}} of the template {template.name} is missing.",
                       f"template.named_parameters.{missing[0]}")
    return {n: _value(choice.named_parameters[n], f"Parameter {{{{{n}}}}}", f"template.named_parameters.{n}", limit)
            for n in names}


def _body(template: Template, choice: TemplateReply) -> dict[str, str]:
    """The body's values by placeholder name ("1", "2"... or the NAMED template's names)."""
    alone = template.header is None and template.footer is None and not template.buttons
    limit = BODY_ONLY_PARAMETER_LIMIT if alone else BODY_PARAMETER_LIMIT
    if template.named:
        return _named_body(template, choice, limit)
    if choice.named_parameters:
        raise _refusal(f"The template {template.name} numbers its parameters: send them in order as parameters.",
                       "template.named_parameters")
    if len(choice.parameters) != template.parameter_count:
        raise _refusal(f"The template {template.name} ({template.language}) takes {template.parameter_count} "
                       f"parameter(s); {len(choice.parameters)} given.", "template.parameters")
    return {str(n): _value(v, f"Parameter {{{{{n}}}}}", f"template.parameters.{n - 1}", limit)
            for n, v in enumerate(choice.parameters, start=1)}


def _a(kind: str) -> str:
    return f"an {kind}" if kind == "image" else f"a {kind}"


def _link(media: TemplateMedia) -> str:
    try:
        parts = urlsplit(media.link)
        host = parts.hostname
    except ValueError:
        host = None
    if host is None or parts.scheme.lower() != "https" or any(c.isspace() for c in media.link):
        raise _refusal(f"The header's file must be at a public https:// address with a host (Meta downloads it "
                       f"from there); {media.link!r} is not.", "template.header_media.link")
    return media.link


def _media_header(template: Template, kind: str, media: TemplateMedia | None) -> tuple[dict[str, Any], str]:
    if media is None:
        raise _refusal(f"The template {template.name} starts with {_a(kind)}: give "
                       "a public https link to it (header_media.link).", "template.header_media")
    link = _link(media)
    filename = media.filename
    if kind == "document":
        if filename is None:
            raise _refusal("A document header needs a filename (header_media.filename): the name the customer sees.",
                           "template.header_media.filename")
        filename = _value(filename, "The document's filename", "template.header_media.filename", 240)
    elif filename is not None:
        raise _refusal(f"Only a document header takes a filename; this template's header is {_a(kind)}.",
                       "template.header_media.filename")
    line = f"[{kind}: {filename}] {link}" if filename else f"[{kind}] {link}"
    return {"header_media": {"format": kind, "link": link, "filename": filename}}, line


def _header(template: Template, choice: TemplateReply) -> tuple[dict[str, Any], str | None]:
    """What the header adds to the sent values, and its line as the customer reads it."""
    header = template.header
    media = header is not None and header.format in MEDIA_FORMATS
    if choice.header_text is not None and (header is None or header.parameter is None):
        raise _refusal(f"The template {template.name} has no header variable to fill.", "template.header_text")
    if choice.header_media is not None and not media:
        raise _refusal(f"The template {template.name} has no image, video or document header.",
                       "template.header_media")
    if header is None:
        return {}, None
    if media:
        return _media_header(template, header.format.lower(), choice.header_media)
    if header.parameter is None:
        return {}, header.text
    name = header.parameter.name
    if choice.header_text is None:
        raise _refusal(f"The header's parameter {{{{{name}}}}} is missing (\"{header.text}\").", "template.header_text")
    value = _value(choice.header_text, f"The header's parameter {{{{{name}}}}}", "template.header_text", HEADER_LIMIT)
    sent = {"header_text": value, **({"header_parameter": name} if template.named else {})}
    return sent, fill_text(header.text or "", {name: value})


def _button_values(template: Template, choice: TemplateReply) -> dict[int, str]:
    """The end of each URL button's address, by button index."""
    buttons = {b.index: b for b in template.buttons}
    given: dict[int, str] = {}
    for n, value in enumerate(choice.buttons):
        button = buttons.get(value.index)
        field = f"template.buttons.{n}"
        if button is None:
            has = f"its buttons are 0 to {len(buttons) - 1}" if buttons else "it has none"
            raise _refusal(f"The template {template.name} has no button {value.index} ({has}).", f"{field}.index")
        if button.parameter is None:
            raise _refusal(f"Button {value.index} ({button.text}) has nothing to fill in.", f"{field}.index")
        if value.index in given:
            raise _refusal(f"Button {value.index} ({button.text}) is given twice.", f"{field}.index")
        given[value.index] = _suffix(button, value.text, f"{field}.text")
    for button in template.buttons:
        if button.parameter is not None and button.index not in given:
            raise _refusal(f"Button {button.index} ({button.text}) needs the end of its address: {button.url}.",
                           "template.buttons")
    return given


def _suffix(button: Button, value: str, field: str) -> str:
    label = f"The end of button {button.index}'s address ({button.text})"
    _value(value, label, field, URL_LIMIT)
    if any(c.isspace() for c in value):
        raise _refusal(f"{label} has a space; a web address has none (write %20).", field)
    whole = len(button.url or "") - len("{{1}}") + len(value)
    if whole > URL_LIMIT:
        raise _refusal(f"Button {button.index}'s address would be {whole} characters; WhatsApp takes at most "
                       f"{URL_LIMIT}.", field)
    return value


def fill_text(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _button_line(button: Button, suffix: str | None) -> str:
    if button.type == "URL" and button.url:
        return f"[{button.text}] {fill_text(button.url, {'1': suffix or ''})}"
    if button.type == "PHONE_NUMBER" and button.phone_number:
        return f"[{button.text}] {button.phone_number}"
    return f"[{button.text}]"


def fill(template: Template, choice: TemplateReply) -> Filled:
    """The template with the rep's values; InvalidTemplateReply (422) naming the first value that does not fit."""
    body = _body(template, choice)
    header, header_line = _header(template, choice)
    suffixes = _button_values(template, choice)
    sent: dict[str, Any] = {
        "name": template.name, "language": template.language,
        "parameters": [] if template.named else list(body.values()),
        **({"named_parameters": body} if template.named else {}), **header,
        **({"buttons": [{"index": i, "text": t} for i, t in sorted(suffixes.items())]} if suffixes else {})}
    buttons = "\n".join(_button_line(b, suffixes.get(b.index)) for b in template.buttons)
    parts = [header_line, fill_text(template.body, body), template.footer, buttons]
    return Filled(sent, "\n\n".join(p for p in parts if p))


def graph_template(sent: dict[str, Any]) -> dict[str, Any]:
    """Graph's `template` object for values kept by `fill` (older messages: name, language, parameters)."""
    components: list[dict[str, Any]] = []
    if sent.get("header_text") is not None:
        parameter = {"type": "text", "text": sent["header_text"]}
        if sent.get("header_parameter"):
            parameter["parameter_name"] = sent["header_parameter"]
        components.append({"type": "header", "parameters": [parameter]})
    if sent.get("header_media"):
        media = sent["header_media"]
        file = {"link": media["link"], **({"filename": media["filename"]} if media.get("filename") else {})}
        components.append({"type": "header", "parameters": [{"type": media["format"], media["format"]: file}]})
    body = [{"type": "text", "text": str(p)} for p in sent.get("parameters") or []]
    body += [{"type": "text", "parameter_name": k, "text": v} for k, v in (sent.get("named_parameters") or {}).items()]
    if body:
        components.append({"type": "body", "parameters": body})
    for button in sent.get("buttons") or []:
        components.append({"type": "button", "sub_type": "url", "index": str(button["index"]),
                           "parameters": [{"type": "text", "text": button["text"]}]})
    template: dict[str, Any] = {"name": sent["name"], "language": {"code": sent["language"]}}
    if components:
        template["components"] = components
    return template
