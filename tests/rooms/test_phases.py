"""The pure phase rules, as plain functions."""

import pytest

from app.rooms import phases


@pytest.mark.parametrize(
    ("phase", "op", "allowed"),
    [
        ("lobby", "note.add", False),
        ("collect", "note.add", True),
        ("collect", "vote.cast", False),
        ("cluster", "cluster.create", True),
        ("cluster", "note.add", False),
        ("rate", "vote.cast", True),
        ("rate", "vote.clear", True),
        ("rate", "axes.set", False),
        ("plot", "axes.set", True),
        ("story", "story.edit", True),
        ("story", "note.add", False),
        ("closed", "story.edit", False),
        ("open", "story.edit", True),
        ("open", "cluster.delete", True),
        ("open", "made.up", False),
    ],
)
def test_phase_allows(phase: str, op: str, allowed: bool) -> None:
    assert phases.phase_allows(phase, op) is allowed


def test_authorship_and_layout_rules() -> None:
    refusal = phases.participant_refusal
    assert refusal("collect", "note.edit", is_author=True, fields=frozenset({"text"})) is None
    assert (
        refusal("collect", "note.edit", is_author=False, fields=frozenset({"x"}))[0] == "forbidden"
    )
    assert (
        refusal("cluster", "note.edit", is_author=False, fields=frozenset({"x", "cluster_id"}))
        is None
    )
    assert (
        refusal("cluster", "note.edit", is_author=True, fields=frozenset({"text"}))[0]
        == "phase_forbids"
    )
    assert (
        refusal("open", "note.edit", is_author=False, fields=frozenset({"color"}))[0] == "forbidden"
    )
    assert refusal("open", "note.delete", is_author=False) == (
        "forbidden",
        "Only the author may delete a note.",
    )
    assert refusal("lobby", "note.add")[0] == "phase_forbids"


def test_next_phase_stays_in_range() -> None:
    assert phases.next_phase("scenario", "lobby", 1) == "collect"
    assert phases.next_phase("scenario", "closed", 1) == "closed"
    assert phases.next_phase("backcast", "lobby", -1) == "lobby"
    assert phases.next_phase("free", "open", -1) == "lobby"


def test_every_phase_has_instructions_in_both_languages() -> None:
    for method, method_phases in phases.PHASES.items():
        for phase in method_phases:
            nl = phases.instruction(method, phase, "nl")
            en = phases.instruction(method, phase, "en")
            assert nl and en and nl != en, (method, phase)
    assert "wat blijft" in phases.instruction("backcast", "collect", "nl").lower()


def test_a_horizon_given_as_a_question_is_quoted_not_built_into_a_sentence() -> None:
    """'Stel je voor: het is Hoe ziet mijn werk eruit in december?.' never appears."""
    question = "Hoe ziet mijn werk eruit in december?"
    for phase in ("lobby", "collect", "path"):
        text = phases.instruction("backcast", phase, "nl", question)
        assert f"«{question}»" in text, text
        assert "?." not in text and "??" not in text and "het is Hoe" not in text
    moment = phases.instruction("backcast", "collect", "nl", "december 2030")
    assert moment.startswith("Stel je voor: het is december 2030.")
    assert phases.is_sentence("Wat doen we anders in 2030?")
    assert phases.is_sentence("over vijf jaar als alles anders is")
    assert not phases.is_sentence("december 2030")
