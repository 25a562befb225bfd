"""Pure poll rules: what a valid answer is, Borda points, and open answers grouped like notes."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.boards.synthesis import WITHOUT_LEXICON, NoteIn, auto_title, group_notes

# Answers are grouped by their words and spelling only: the subject lexicon's ideas would
# count "Spin in het web" as "Regisseur" and "Copilot" as "AI", and the wall would report
# answers nobody gave (thirteenth trial). Typos, case, hyphens and "Meer focus, want ..."
# still meet, at the threshold chosen for the synthesis without the lexicon.
POLL_METHOD = WITHOUT_LEXICON

MAX_OPTIONS = 20
MAX_PICK = 5


@dataclass(frozen=True)
class Option:
    """One choice of a ranking poll."""

    id: str
    text: str


def ranking_problem(ranking: Sequence[str], options: Sequence[Option], pick: int) -> str | None:
    """Why a ranking is not acceptable, or None: 1..pick distinct known options."""
    if not ranking:
        return "Rank at least one option."
    if len(ranking) > pick:
        return f"Rank at most {pick} options."
    if len(set(ranking)) != len(ranking):
        return "An option is ranked twice."
    known = {o.id for o in options}
    strangers = [r for r in ranking if r not in known]
    if strangers:
        return f"There is no option {strangers[0]} in this poll."
    return None


def borda(
    options: Sequence[Option], rankings: Sequence[Sequence[str]], pick: int
) -> list[dict[str, Any]]:
    """Options by Borda points: first place `pick` points, second `pick - 1`, ...

    Ties go to more first places, then to the order the options were given in.
    `voters` counts the answers that ranked the option at all.
    """
    points = {o.id: 0 for o in options}
    first = {o.id: 0 for o in options}
    voters = {o.id: 0 for o in options}
    for ranking in rankings:
        for place, option in enumerate(ranking):
            if option not in points:
                continue  # an option that no longer exists
            points[option] += pick - place
            voters[option] += 1
            if place == 0:
                first[option] += 1
    order = {o.id: n for n, o in enumerate(options)}
    ranked = sorted(options, key=lambda o: (-points[o.id], -first[o.id], order[o.id]))
    return [
        {
            "option": o.id,
            "text": o.text,
            "points": points[o.id],
            "first": first[o.id],
            "voters": voters[o.id],
        }
        for o in ranked
    ]


def group_answers(
    answers: Sequence[str], threshold: float | None = None, language: str = "nl"
) -> list[dict[str, Any]]:
    """Open answers grouped the way the synthesis groups notes, most given first.

    Each group: `text` (its most representative wording), `count`, and every
    `answers` text. Ties go to the group whose text sorts first.
    """
    notes = [NoteIn(f"a{n}", "poll", "answer", text) for n, text in enumerate(answers)]
    if not notes:
        return []
    method = POLL_METHOD if threshold is None else replace(POLL_METHOD, threshold=threshold)
    groups = group_notes(notes, method=method)
    results: list[dict[str, Any]] = []
    for members in groups:
        texts = [notes[i].text for i in members]
        results.append(
            {
                "text": auto_title([notes[i] for i in members], language),
                "count": len(texts),
                "answers": texts,
            }
        )
    results.sort(key=lambda g: (-int(g["count"]), str(g["text"]).lower()))
    return results


def compute_results(
    kind: str,
    options: Sequence[Option],
    pick: int | None,
    texts: Sequence[str],
    rankings: Sequence[Sequence[str]],
    language: str = "nl",
) -> list[dict[str, Any]]:
    """A poll's results from plain answers (picklable: a large poll runs it in a worker)."""
    if kind == "rank":
        return borda(options, rankings, pick or MAX_PICK)
    return group_answers(texts, language=language)
