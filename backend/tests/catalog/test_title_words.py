"""How a message's words are matched to one product title (catalog/title_words.py), without a database."""

from mancrel.catalog.title_words import choose, contradicted, distance, evidence, normalise, title_words, tokens


def seen(title: str, message: str):
    return evidence(title, tokens(message))


def test_plurals_and_apostrophes_meet_in_one_form():
    assert title_words("Kids' Chef's Knives Socks") == [normalise(w) for w in ("kids", "chefs", "knives", "sock")]
    assert normalise("Mugs") == normalise("mug") and normalise("Batteries") == normalise("battery")


def test_one_or_two_typing_errors_are_forgiven_only_in_longer_words():
    assert distance("skilet", "skillet", 1) == 1
    assert distance("sleping", "sleeping", 1) == 1
    assert distance("hikign", "hiking", 1) == 1  # two letters swapped is one error
    assert seen("Nordic Cast Iron Skillet", "the nordik skilet please").matched == 2
    assert seen("Otter Camp Stove", "the others camp stove").positions == frozenset({2, 3})  # not "others"
    assert seen("Heron Tent 2P", "the heron test").matched == 1  # "test" is not "tent": too short to forgive


def test_words_in_another_order_joined_or_split_are_found():
    assert seen("Summit Speckled Enamel Mug", "speckled enamel mugs from the Summit range").complete
    assert seen("Timber Sleeping Bag", "the timber sleepingbag").complete
    assert seen("Falcon Trek Backpack 35L", "my falcon trek back pack 35l").complete


def test_a_name_does_not_run_across_a_clause_or_another_item():
    assert seen("Summit Thermal Socks", "we reached the summit, my socks were wet").matched == 1
    assert seen("Summit Thermal Socks", "we reached the summit and my socks were wet").matched == 1
    assert seen("Summit Thermal Socks", "the summit thermal socks").matched == 3


def test_a_mention_that_says_what_the_title_does_not_is_contradicted():
    toks = tokens("Is the Nordic Merino Beanie itchy?")
    assert contradicted(evidence("Nordic Merino Socks", toks), toks, set())
    toks = tokens("my falcon trek backpack 45L broke")
    assert contradicted(evidence("Falcon Trek Backpack 35L", toks), toks, set())
    toks = tokens("Is the Summit Down Sleeping Bag warm")
    assert contradicted(evidence("Sierra Down Sleeping Bag", toks), toks, {"summit"})
    toks = tokens("is your falcon cork mat slippery")
    assert not contradicted(evidence("Falcon Cork Yoga Mat", toks), toks, {"falcon", "cork", "mat", "summit"})


def test_one_word_or_half_a_title_names_nothing():
    assert not seen("Falcon Cork Yoga Mat", "I love the Falcon collection").names_product()
    assert not seen("Nordic Leather Winter Boots", "nordic winter").names_product()
    assert seen("Heron Tent 2P", "the heron tent").names_product()


def test_the_title_that_accounts_for_more_of_the_words_wins():
    toks = tokens("alpine merino hikng socks")
    found = {"hiking": evidence("Alpine Merino Hiking Socks", toks),
             "liner": evidence("Alpine Merino Liner Socks", toks)}
    assert [(k, ambiguous) for k, _, ambiguous in choose(found)] == [("hiking", False)]


def test_titles_found_on_the_same_words_are_ambiguous_up_to_three_and_none_beyond():
    toks = tokens("alpine merino socks")
    two = {t: evidence(t, toks) for t in ("Alpine Merino Liner Socks", "Alpine Merino Hiking Socks")}
    assert sorted((k, amb) for k, _, amb in choose(two)) == [("Alpine Merino Hiking Socks", True),
                                                                ("Alpine Merino Liner Socks", True)]
    four = two | {t: evidence(t, toks) for t in ("Alpine Merino Ski Socks", "Alpine Merino Crew Socks")}
    assert choose(four) == []


def test_a_title_written_whole_wins_over_its_longer_siblings():
    toks = tokens("the evergreen cast iron skilet")
    found = {t: evidence(t, toks) for t in ("Evergreen Cast Iron Skillet", "Evergreen Cast Iron Skillet XL")}
    assert [(k, amb) for k, _, amb in choose(found)] == [("Evergreen Cast Iron Skillet", False)]


def test_a_name_goes_on_across_a_comma_only_when_it_goes_on_right_after_it():
    title = "Lumen Roasters Tanzania Peaberry Lot 11, Washed - Whole Bean, 250 g"
    assert seen(title, "loving lumen roasters tanzania peaberry lot 11, washed - whole bean, 250 g!").complete
    assert seen("Summit Thermal Socks", "the summit thermal, my socks").matched == 2
