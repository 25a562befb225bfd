"""Tally maths, the suggested axes and text rules, as plain functions."""

import pytest

from app.boards import rules
from app.errors import PlenaryError
from app.textrules import clean_text


def test_tally_means_counts_and_spread() -> None:
    tally = rules.tally("n1", [(5, 1), (3, 1), (1, 1)])
    assert tally["impact"] == {"mean": 3.0, "n": 3, "counts": [1, 0, 1, 0, 1], "sd": 1.633}
    assert tally["uncertainty"] == {"mean": 1.0, "n": 3, "counts": [3, 0, 0, 0, 0], "sd": 0.0}
    empty = rules.tally("n2", [])
    assert empty["impact"] == {"mean": None, "n": 0, "counts": [0] * 5, "sd": None}


def test_hidden_tally_keeps_only_the_count() -> None:
    hidden = rules.hidden_tally(rules.tally("t", [(4, 4), (2, 2)]))
    assert hidden == {"target": "t", "hidden": True, "n": 2, "impact": None, "uncertainty": None}


def test_suggest_axes_picks_highest_impact_times_uncertainty() -> None:
    tallies = [
        rules.tally("a", [(5, 1)]),
        rules.tally("b", [(3, 3)]),
        rules.tally("c", [(4, 4)]),
        rules.tally("d", []),
    ]
    assert rules.suggest_axes(tallies) == {"x": "c", "y": "b"}
    assert rules.suggest_axes(tallies[:1]) is None


@pytest.mark.parametrize("bad", ["", "   ", "a\x00b", "bell\x07", "x" * 11])
def test_clean_text_refuses(bad: str) -> None:
    with pytest.raises(PlenaryError) as refused:
        clean_text(bad, field="text", max_len=10)
    assert refused.value.code == "invalid"


def test_clean_text_trims_and_keeps_newlines_and_emoji() -> None:
    assert clean_text("  twee\nregels 🎉 ", field="text", max_len=20) == "twee\nregels 🎉"
