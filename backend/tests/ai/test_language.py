"""Telling messages the English models cannot read from short or sloppy English."""

import pytest

from mancrel.ai.embeddings import get_embedder
from mancrel.ai.language import ENGLISH, detect


@pytest.fixture(scope="module")
def words():
    return get_embedder().words


@pytest.mark.parametrize(("text", "language"), [
    ("Haben Sie die Jacke auch in Größe M?", "de"),
    ("Bonjour, où en est ma commande ? Je l'attends depuis dix jours.", "fr"),
    ("Mi pedido llegó roto, quiero un reembolso.", "es"),
    ("Waar blijft mijn bestelling? Ik wacht al een week.", "nl"),
    ("Dove si trova il mio ordine? Aspetto da giorni.", "it"),
    ("Vocês têm esse produto em estoque?", "pt"),
    ("Gdzie jest moje zamówienie?", "pl"),
    ("注文はどこですか", "ja"),
])
def test_order_questions_in_other_languages_are_recognised(words, text, language):
    assert detect(text, words) == language


@pytest.mark.parametrize("text", [
    "lol", "ok perfect 👌 thx", "Thank u!!!! 🥰🥰", "cheers mate, legend 🙌", "Hello?", "hi 👋", "?", "",
    "still got the olive parka in M?", "Set an alarm for 7am", "solve for x: 3x + 7 = 22",
    "Merci beaucoup, très gentil! Have a nice day",  # mostly French, but the customer switched to English
    "Where's my order #4411? Tracking says delivered to https://track.example.com/4411",
    "Do you have the Fjällräven Kånken in ochre?",
    "SKU MH-2231-BLK-L qty 3",  # codes and jargon: langid has no real guess
])
def test_short_sloppy_or_mixed_english_stays_english(words, text):
    assert detect(text, words) == ENGLISH
