"""Plain text from an email's HTML part, and subjects reduced to what threading compares."""

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr", "pre"}
_SKIPPED = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.parts.append("> ")  # quoted history stays recognisable to own_words

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|sv|vs|antw|rif|r|tr|enc)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def subject_key(subject: str) -> str:
    """`Re: FW: Order  #12` -> `order #12`: the subject a reply is matched on."""
    stripped = _PREFIX.sub("", subject or "")
    stripped = re.sub(r"^\[[^\]]{1,40}\]\s*", "", stripped)  # a list tag such as "[Shop]"
    stripped = _PREFIX.sub("", stripped)
    return re.sub(r"\s+", " ", stripped).strip().lower()[:998]
