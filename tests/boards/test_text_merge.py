"""The three-way merge of a story's text, on its own."""

from app.boards.text_merge import merge3


def test_edits_of_different_sentences_both_stay() -> None:
    base = "Het kantoor is leeg. Iedereen werkt thuis."
    mine = "Het kantoor is leeg op maandag. Iedereen werkt thuis."
    theirs = "Het kantoor is leeg. Bijna iedereen werkt thuis, ook de baas."
    merged = "Het kantoor is leeg op maandag. Bijna iedereen werkt thuis, ook de baas."
    assert merge3(base, mine, theirs) == merged


def test_edits_with_a_word_between_them_merge() -> None:
    assert merge3("a b c d e", "a X c d e", "a b c Y e") == "a X c Y e"


def test_edits_of_one_phrase_are_a_conflict_not_a_sentence_nobody_wrote() -> None:
    """Twelfth trial: "night shifts" and "medication rounds" became "medication shifts"."""
    base = "We do night rounds at nine."
    assert merge3(base, "We do night shifts at nine.", "We do medication rounds at nine.") is None
    assert merge3("a b c", "a b X", "a Y c") is None  # side by side, a space apart
    assert merge3("a b", "a b c", "a Y") is None  # written on right after a changed word


def test_the_same_change_twice_is_made_once() -> None:
    assert merge3("a b c", "a X c", "a X c") == "a X c"
