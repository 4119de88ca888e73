"""Which words of a product title a message contains, and how closely: the pure half of loose
mentions (catalog/mentions.py asks the database for candidate titles, this module judges them).

Customers name products loosely: "the timber sleeping bag", "nordik skilet", "your falcon cork mat",
"the chunky knit blanket from the Glacier range". A title is found in a message when enough of its
words stand together in one clause of the message: in any order, singular or plural, with or without
apostrophes, with one or two typing errors in a longer word, or with two words joined or one split.
"Together" is what keeps "we reached the summit, my socks were wet" from naming "Summit Socks":
between two title words there may only be a few connecting words ("from the ... range"), never a
clause break or a word such as "and" that starts another item.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

# A message word counts only in its clause: these end one. A comma ends one too, unless the name
# goes on right after it, as titles with commas do ("Lot 11, Washed - Whole Bean, 250 g").
_CLAUSES = re.compile(r"[.!?;:()\[\]\n\"\u201c\u201d]+")
_COMMA = re.compile(r"\s*,\s*")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*['\u2019]?")
# Words that may stand between two words of one product name ("the speckled mugs from the Summit range").
CONNECTORS = frozenset({
    "the", "a", "an", "my", "your", "our", "from", "of", "in", "by", "range", "collection",
    "line", "series", "brand", "one", "de", "du", "des", "la", "le", "les", "der", "die", "das", "den", "dem",
    "von", "aus", "el", "los", "las", "del", "di", "della", "het", "van",
})
# Words that end a name or start another ("and", "or", pronouns and verbs): a name does not run across them.
_BREAKERS = frozenset({"and", "or", "but", "vs", "versus", "than", "with", "not", "und", "oder", "et", "ou",
                       "y", "o", "e", "en", "og", "this", "that", "these", "those", "it", "is", "are", "was",
                       "were", "be", "do", "does", "did", "have", "has", "had", "i", "you", "we", "they", "he",
                       "she", "will", "would", "can", "could", "should", "to", "at", "on"})
_ORIGIN = frozenset({"from", "by", "von", "aus", "de", "del", "di", "van"})
MAX_GAP = 3          # words between two title words of one mention
MAX_OTHER_IN_GAP = 1  # of which not connectors ("the grid fleece hoodie from Summit")
MIN_WORDS = 2        # one word (a noun, a collection name) never names a product
MIN_COVERAGE = 0.5   # share of the title's words the message must contain more than, or exactly with
                     # the name's last noun ("nordik skilet": Nordic Cast Iron Skillet)


def normalise(word: str) -> str:
    """Lower case, no apostrophes, a plural reduced to its singular, the same way for titles and
    messages: "Kids'" and "kids", "Chef's" and "chefs", "Socks" and "sock" meet."""
    w = word.lower().replace("'", "").replace("\u2019", "")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def title_words(title: str) -> list[str]:
    return [normalise(w) for w in _WORD.findall(title or "")]


def name_ends(title: str) -> tuple[int, int]:
    """Indexes of the first word of the name (after "Kids'", "Women's") and of its last noun (the
    last word of three letters or more without digits: not "XL", "2P", "35L")."""
    raw = _WORD.findall(title or "")
    first = 1 if len(raw) > 1 and raw[0].lower().endswith(("'", "'s", "\u2019", "\u2019s")) else 0
    nouns = [i for i, w in enumerate(raw) if len(w) >= 3 and w.replace("'", "").isalpha()]
    return first, (nouns[-1] if nouns else len(raw) - 1)


@dataclass(frozen=True)
class Token:
    word: str      # normalised
    clause: int
    capitalised: bool = False  # "Beanie" in "the Nordic Merino Beanie": written as part of a name
    after_comma: bool = False

    @property
    def has_digit(self) -> bool:
        return any(c.isdigit() for c in self.word)


def tokens(text: str) -> list[Token]:
    return [Token(normalise(w), n, len(w) >= 3 and w[0].isupper() and any(c.islower() for c in w[1:]),
                  after_comma=k > 0 and i == 0)
            for n, part in enumerate(_CLAUSES.split(text or "")) for k, piece in enumerate(_COMMA.split(part))
            for i, w in enumerate(_WORD.findall(piece))]


def edits_allowed(word: str) -> int:
    """Typing errors forgiven in a title word: none in short words ("others" is not "Otter", "store"
    not "Stove")."""
    return 2 if len(word) >= 9 else 1 if len(word) >= 6 else 0


def distance(a: str, b: str, limit: int) -> int | None:
    """Edit distance with adjacent transpositions, or None when above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return None
        previous2, previous = previous, row
    return previous[-1] if previous[-1] <= limit else None


@lru_cache(maxsize=65536)  # a message's words meet the same title words in many candidate titles
def word_cost(token: str, word: str) -> int | None:
    """0 for the same word, the number of typing errors when forgiven, else None. A misspelt
    word keeps its first letter: "hiking" is not "biking"."""
    if token == word:
        return 0
    if len(token) < 4 or token[0] != word[0]:
        return None
    return distance(token, word, edits_allowed(word))


@dataclass(frozen=True)
class Evidence:
    """The best group of a title's words found together in a message."""
    positions: frozenset[int]   # message word positions used
    matched: int                # title words found
    total: int                  # title words
    edits: int                  # typing errors forgiven
    unmatched: tuple[str, ...] = ()  # title words not found
    first: bool = False         # the name's first word is among those found (a collection, a brand)
    last: bool = False          # and its last noun

    @property
    def complete(self) -> bool:
        return self.matched == self.total

    @property
    def coverage(self) -> float:
        return self.matched / self.total if self.total else 0.0

    @property
    def score(self) -> float:
        """Below an exact mention's 1.0 even when every word was found: the order, the form or the
        spelling differed."""
        return round(0.9 * self.coverage * 0.9 ** self.edits, 3)

    def names_product(self) -> bool:
        """Two words at least, the first word of the name among them, and more than half the title,
        or half with its last noun: a collection and a noun ("nordik skilet", "the heron tent"), not
        a description ("my sleeping bag", "ski socks for kids" is no Kids' Highland Wool Blend Ski
        Socks, "nordic winter" no Nordic Leather Winter Boots)."""
        return self.matched >= MIN_WORDS and self.first and (
            self.coverage > MIN_COVERAGE or (self.coverage == MIN_COVERAGE and self.last))


def _hits(words: list[str], toks: list[Token]) -> dict[int, list[tuple[frozenset[int], int, tuple[int, ...]]]]:
    """Per message position: the title words it (with its neighbour, for a split word) stands for,
    as (title word indexes, typing errors, positions used). Every way of matching keeps the first
    letter, so only the message's words with a title word's first letter are compared with it."""
    by_letter: dict[str, list[int]] = {}
    for p, tok in enumerate(toks):
        if tok.word:
            by_letter.setdefault(tok.word[0], []).append(p)
    found: dict[int, list[tuple[frozenset[int], int, tuple[int, ...]]]] = {}
    for i, word in enumerate(words):
        for p in by_letter.get(word[:1], ()):
            tok = toks[p]
            cost = word_cost(tok.word, word)
            if cost is not None:
                found.setdefault(p, []).append((frozenset({i}), cost, (p,)))
            if i + 1 < len(words):  # "sleepingbag" for "Sleeping Bag"
                cost = word_cost(tok.word, word + words[i + 1])
                if cost is not None:
                    found.setdefault(p, []).append((frozenset({i, i + 1}), cost, (p,)))
            nxt = toks[p + 1] if p + 1 < len(toks) else None
            if nxt is not None and nxt.clause == tok.clause and not nxt.after_comma and len(word) >= 6 \
                    and tok.word != word:
                cost = word_cost(tok.word + nxt.word, word)  # "back pack" for "Backpack"
                if cost is not None:
                    found.setdefault(p, []).append((frozenset({i}), cost, (p, p + 1)))
    return found


def _runs(toks: list[Token], hit_positions: set[int]) -> list[list[int]]:
    """Message positions with title words, grouped into runs that stand together."""
    runs: list[list[int]] = []
    current: list[int] = []
    gap = others = 0
    for p, tok in enumerate(toks):
        if p in hit_positions:
            comma_apart = tok.after_comma and gap > 0  # "the summit, my socks"; not "Lot 11, Washed"
            if current and (toks[current[-1]].clause != tok.clause or gap > MAX_GAP or others > MAX_OTHER_IN_GAP
                            or comma_apart):
                runs.append(current)
                current = []
            current.append(p)
            gap = others = 0
        elif current:
            gap += 1
            if tok.word in _BREAKERS or tok.after_comma:
                gap = MAX_GAP + 1
            elif tok.word in _ORIGIN:  # "the fleece hoodie from Summit": one more word may come before it
                others -= 1
            elif tok.word not in CONNECTORS:
                others += 1
    if current:
        runs.append(current)
    return runs


def evidence(title: str, toks: list[Token]) -> Evidence | None:
    """The run of the message that contains the most of the title's words (fewest errors on a tie)."""
    words = title_words(title)
    if not words:
        return None
    hits = _hits(words, toks)
    best: Evidence | None = None
    for run in _runs(toks, set(hits)):
        covered: dict[int, tuple[int, tuple[int, ...]]] = {}
        for p in run:
            for indexes, cost, used in sorted(hits[p], key=lambda h: (h[1], -len(h[0]))):
                if any(i in covered for i in indexes):
                    continue
                for i in indexes:
                    covered[i] = (cost if i == min(indexes) else 0, used)
                break  # one title word (or joined pair) per message word
        found = Evidence(positions=frozenset(q for _, used in covered.values() for q in used), matched=len(covered),
                         total=len(words), edits=sum(c for c, _ in covered.values()),
                         unmatched=tuple(w for i, w in enumerate(words) if i not in covered),
                         first=name_ends(title)[0] in covered, last=name_ends(title)[1] in covered)
        if best is None or (found.matched, -found.edits) > (best.matched, -best.edits):
            best = found
    return best


def contradicted(found: Evidence, toks: list[Token], product_words: set[str]) -> bool:
    """Whether the message, where it names this title, also says what the title does not: another
    catalogue word in or just before the mention ("Summit Down Sleeping Bag" is no Sierra Down
    Sleeping Bag, "Summit *Down* Sleeping Bag" no Summit Sleeping Bag), a capitalised word of the
    name ("the Nordic Merino *Beanie*" is no Nordic Merino Socks), or another size or model number
    ("Trek Backpack *45L*" is no Trek Backpack 35L). The customer is then naming a product we do not
    have, not this one loosely."""
    first, last = min(found.positions), max(found.positions)
    clause = toks[last].clause
    title_has_number = any(any(c.isdigit() for c in w) for w in found.unmatched)
    for p in range(max(first - 1, 0), min(last + 2, len(toks))):
        tok = toks[p]
        if p in found.positions or tok.clause != clause or tok.word in CONNECTORS | _BREAKERS:
            continue
        if (p > last and tok.after_comma) or (p < first and toks[first].after_comma):
            continue  # past a comma: what follows or precedes is not part of the name
        if p < last and tok.word in product_words:
            return True
        if p > first and (tok.capitalised or (tok.has_digit and title_has_number)):
            return True
    return False


K = TypeVar("K")
MAX_AMBIGUOUS = 3  # a loose mention that fits more products than this names none of them


def choose(found: dict[K, Evidence]) -> list[tuple[K, Evidence, bool]]:
    """The products a message names loosely, as (key, evidence, ambiguous).

    Titles found on the same message words compete: one that accounts for more of those words
    wins ("alpine merino hikng socks" is the Hiking Socks, not the Liner Socks). Titles found on
    exactly the same words are one mention: the one whose every word was written wins alone
    (as a whole title does when named exactly); otherwise all that are named well enough, marked
    ambiguous, if the mention fits at most MAX_AMBIGUOUS titles, and none beyond: never one picked
    by luck. A title with too small a share of its words found still counts as a rival ("the
    glacier pillow" fits the Camp Pillow and the Camp Pillow II alike)."""
    rivals = {k: e for k, e in found.items() if e.matched >= MIN_WORDS}
    beaten = {k for k, e in rivals.items()
              if any(o.positions >= e.positions and o.matched > e.matched for o in rivals.values())}
    groups: dict[frozenset[int], list[K]] = {}
    for key, seen in rivals.items():
        if key not in beaten:
            groups.setdefault(seen.positions, []).append(key)
    chosen: list[tuple[K, Evidence, bool]] = []
    for keys in groups.values():
        complete = [k for k in keys if rivals[k].complete]
        if len(complete) == 1:
            keys = complete
        if len(keys) <= MAX_AMBIGUOUS:
            chosen += [(k, rivals[k], len(keys) > 1) for k in keys if rivals[k].names_product()]
    return sorted(chosen, key=lambda c: (-c[1].score, min(c[1].positions)))
