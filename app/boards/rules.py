"""Pure board rules: limits, tallies, the suggested axes and what a hidden note shows."""

import math
from collections.abc import Iterable
from typing import Any

NOTE_MAX = 280
CLUSTER_TITLE_MAX = 120
STORY_LIMITS = {"title": 120, "metaphor": 200, "text": 4000}
COLORS = ("yellow", "pink", "blue", "green", "orange", "purple")
QUADRANTS = ("hh", "hl", "lh", "ll")
MAX_CLUSTER_NOTES = 200  # PROTOCOL.md: bounds the work of one command


def score_summary(scores: list[int]) -> dict[str, Any]:
    """Mean, n, counts of each score 1..5, and the spread (population standard deviation)."""
    counts = [0, 0, 0, 0, 0]
    for score in scores:
        counts[score - 1] += 1
    n = len(scores)
    if n == 0:
        return {"mean": None, "n": 0, "counts": counts, "sd": None}
    mean = sum(scores) / n
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / n)
    return {"mean": round(mean, 3), "n": n, "counts": counts, "sd": round(sd, 3)}


def tally(target: str, votes: Iterable[tuple[int, int]]) -> dict[str, Any]:
    """The anonymous tally of one target from its (impact, uncertainty) votes."""
    pairs = list(votes)
    return {
        "target": target,
        "impact": score_summary([impact for impact, _ in pairs]),
        "uncertainty": score_summary([unc for _, unc in pairs]),
    }


def hidden_tally(full: dict[str, Any]) -> dict[str, Any]:
    """A tally with the scores held back (only how many voted shows)."""
    return {
        "target": full["target"],
        "hidden": True,
        "n": full["impact"]["n"],
        "impact": None,
        "uncertainty": None,
    }


def suggest_axes(tallies: Iterable[dict[str, Any]]) -> dict[str, str] | None:
    """The two targets with the highest mean impact x mean uncertainty (ties by id)."""
    scored = [
        (t["impact"]["mean"] * t["uncertainty"]["mean"], t["target"])
        for t in tallies
        if t.get("impact") and t["impact"].get("mean") is not None
    ]
    if len(scored) < 2:
        return None
    scored.sort(key=lambda item: (-item[0], item[1]))
    return {"x": scored[0][1], "y": scored[1][1]}


def hidden_note(note: dict[str, Any]) -> dict[str, Any]:
    """A private note as peers see it before the reveal: there, but without its words."""
    return {**note, "text": None, "hidden": True}


POLE_WORDS = {"nl": ("laag", "hoog"), "en": ("low", "high")}


def quadrant_poles(quadrant: str, axes: dict[str, Any]) -> tuple[str, str]:
    """The pole of each axis a quadrant stands for: `hl` is x high and y low."""
    x, y = axes.get("x") or {}, axes.get("y") or {}
    return (
        x.get("high" if quadrant[0] == "h" else "low") or "",
        y.get("high" if quadrant[1] == "h" else "low") or "",
    )


def quadrant_name(quadrant: str, axes: dict[str, Any], language: str) -> str:
    """A scenario named by its pole combination: `Verbinding: sterk · Aanwezigheid: thuis`.

    An unnamed pole reads "hoog"/"laag" (or "high"/"low"), so a quadrant is
    never just a code.
    """
    low_word, high_word = POLE_WORDS.get(language, POLE_WORDS["en"])
    parts = []
    for axis_name, side, pole in zip(
        ("x", "y"), quadrant, quadrant_poles(quadrant, axes), strict=True
    ):
        axis = axes.get(axis_name) or {}
        title = axis.get("title") or axis_name.upper()
        parts.append(f"{title}: {pole or (high_word if side == 'h' else low_word)}")
    return " · ".join(parts)
