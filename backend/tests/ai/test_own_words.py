"""What the customer wrote this time, out of the email their client sent."""

import pytest

from mancrel.ai.own_words import own_words

QUESTION = "Do you have the olive parka in size M?"


@pytest.mark.parametrize("email", [
    # Gmail, the header wrapped over two lines, the shop's confirmation quoted with "> "
    f"{QUESTION}\n\nOn Mon, 23 Nov 2026 at 10:14, Northwind Outfitters <\nhello@northwind.example> wrote:\n"
    "> Hi there,\n>\n> Thanks for your order #48213!\n>> Earlier: your account was created.\n",
    # Apple Mail from a phone
    f"{QUESTION}\n\nSent from my iPhone\n\nOn 23 Nov 2026, at 10:14, Shop <s@shop.example> wrote:\n\n"
    "> Your parcel is on its way: https://track.example/1\n",
    # Outlook: signature, disclaimer, the earlier message unquoted under its headers
    f"{QUESTION}\n\nKind regards,\nDaniel Ferreira\nProcurement Lead | Brightline Interiors Ltd\n"
    "T: +44 20 7946 0321\nThis email and any attachments are confidential and intended solely for the "
    "addressee.\n\n-----Original Message-----\nFrom: Lumo Home <orders@lumo.example>\n"
    "Sent: 20 November 2026 16:02\nTo: Daniel\nSubject: Your quote Q-2291\n\nPlease find our quote attached.",
    # Outlook on the web: headers without a separator line
    f"{QUESTION}\n\nFrom: Lumo Home <orders@lumo.example>\nSent: Friday, 20 November 2026 16:02\n"
    "To: Dan\nSubject: RE: order\n\nThanks for getting in touch!",
    # a mail client set to German, used by an English-speaking customer
    f"{QUESTION}\n\nAm 23.11.2026 um 10:14 schrieb Shop <s@shop.example>:\n> Danke für Ihre Bestellung.",
    # the RFC 3676 signature delimiter
    f"{QUESTION}\n\n-- \nJo Bloggs\nwww.jobloggs.example",
    # a closing with a name, then a mobile client's line
    f"Hello team,\n\n{QUESTION}\n\nThanks, Jo\nGet Outlook for Android",
    # closings written in India, in the Netherlands by a bilingual customer, in Britain
    f"{QUESTION}\n\nThanks & regards,\nRajesh Kumar\nIT Asset Coordinator | Meridian Logistics Ltd",
    f"{QUESTION}\n\nGroetjes / regards,\nFemke",
    f"{QUESTION}\nta, Jo",
    # a forward with the customer's words above it
    f"{QUESTION}\n\n---------- Forwarded message ---------\nFrom: Shop <s@shop.example>\n"
    "Date: Mon, 23 Nov 2026\nSubject: Back in stock\n\nThe olive parka is back!",
])
def test_quoted_history_signatures_and_disclaimers_are_left_out(email):
    assert own_words(email) == QUESTION


def test_answers_written_between_quoted_lines_are_kept():
    reply = ("On 23 Nov 2026, at 10:14, Shop <s@shop.example> wrote:\n> Which size would you like?\nM please\n"
             "> And which colour?\nThe black one\n\nCheers\nTom")
    assert own_words(reply) == "M please\nThe black one"


def test_a_greeting_line_is_left_out_but_a_message_that_starts_with_one_is_kept():
    assert own_words(f"Dear Sir/Madam,\n\n{QUESTION}") == QUESTION
    assert own_words("Hey where is my order\nIt was due Monday") == "Hey where is my order\nIt was due Monday"
    assert own_words("Hi there!") == "Hi there!"  # nothing else: classified as it is


@pytest.mark.parametrize("text", [
    "Thanks!",
    "thanks, got it",
    "Thanks, I'll wait for your reply. Is it in stock though?",
    "Thanks\nWhere is my order?",  # a question after the closing: it was not a closing
    "The parka arrived.\nThanks\nI also need the matching gloves by Friday.",  # a sentence after it
    "Ship it as before:\nFrom: our warehouse\nDate: any weekday\nWhich courier do you use?",  # not headers
    "Items:\n----------\n2 x socks\n1 x hat\n----------\nCan you ship them together?",  # a rule in a list
    "Best price for 40 units?",
    "On Monday I ordered a jacket and it hasn't arrived",
    "> a message that is only a quote",
    "Sent from my iPhone",
    "set an alarm for 7am",
])
def test_messages_without_anything_to_remove_stay_whole(text):
    assert own_words(text) == text


def test_a_long_thread_of_interleaved_answers_is_read_whole():
    # 3,000 reply headers, each over a quoted line and an answer: every answer is the customer's.
    thread = "On Mon, 23 Nov 2026, Shop <s@shop.example> wrote:\n> Anything else?\nyes\n" * 3000
    assert own_words(thread).split("\n") == ["yes"] * 3000
