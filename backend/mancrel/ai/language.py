"""Which language a customer wrote in, so text the English-only encoder cannot read is not judged
by it.

MiniLM and the shipped examples are English. Given "Wo ist meine Bestellung?" the classifier sees
unfamiliar text and calls it out-of-scope at 0.90, low priority: a customer asking for an order
would be dropped. A message in another language is therefore reported with its language and handed
to a human (service.predict). py3langid (langid.py's model, 97 languages, bundled, deterministic)
names the language; because its n-gram model mistakes short English chat ("lol", "ok thx 👌") for
other languages, a message only counts as foreign when English is also ruled out by
MiniLM's own vocabulary: most of its words must be unknown to it.
"""

import re
from functools import lru_cache

ENGLISH = "en"
# Out of 1,887 English messages (the shipped examples and bench/ai/seller_eval.csv) these limits
# call 7 foreign, all of them foreign or gibberish (Russian and Chinese spam, "Lorem ipsum"),
# and they catch 22 of 22 order, size and price questions in 14 other languages.
MAX_ENGLISH_PROBABILITY = 0.01
MAX_KNOWN_WORD_SHARE = 0.8
MIN_LETTERS = 4  # "ok", "?", an emoji: nothing to go on, so English
# langid's pick must be at least this likely: codes and jargon ("SKU MH-2231-BLK-L qty 3") get a
# near-flat guess (Uzbek at 0.04); the least sure real catch in bench/ai/language_eval.csv is 0.18.
MIN_LANGUAGE_PROBABILITY = 0.1
_WORDS = re.compile(r"[^\W\d_]+")
_LINKS = re.compile(r"\S+://\S+|\S+@\S+")
NO_LANGUAGE = {"zxx"}  # langid's "no linguistic content"


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, vocabulary: frozenset[str]) -> str:
    """The ISO 639-1 code of `text`'s language; ENGLISH unless it is clearly another one.
    `vocabulary`: the encoder's whole words (Embedder.words)."""
    text = _LINKS.sub(" ", text)
    words = [w.casefold() for w in _WORDS.findall(text)]
    if sum(map(len, words)) < MIN_LETTERS:
        return ENGLISH
    # The vocabulary test first: it is cheap and settles most English messages.
    if sum(w in vocabulary for w in words) / len(words) >= MAX_KNOWN_WORD_SHARE:
        return ENGLISH
    ranked = _identifier().rank(text)
    language, probability = ranked[0]
    english = dict(ranked).get(ENGLISH, 0.0)
    if (
        language == ENGLISH
        or language in NO_LANGUAGE
        or probability < MIN_LANGUAGE_PROBABILITY
        or english >= MAX_ENGLISH_PROBABILITY
    ):
        return ENGLISH
    return language
