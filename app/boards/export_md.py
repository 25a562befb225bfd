"""The report as Markdown, in the workshop's language; people's words shown literally.

Escaping is minimal but complete: characters that make inline markup are
backslashed, and so is whatever would start a block at the beginning of a
line (a heading, a setext underline, a list, a quote, a table rule). Ordinary
punctuation inside words stays as typed (`AI-assistenten`, `1.5`).
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.boards.rules import QUADRANTS, quadrant_name
from app.clock import local_date, local_minute
from app.rooms.phases import STEP_LANE

TEXT = {
    "nl": {
        "decimal": ",",
        "question": "Vraag",
        "method": "Methode",
        "date": "Datum",
        "generated": "Gemaakt op",
        "horizon": "Horizon",
        "rooms": "Groepen",
        "people": "Deelnemers",
        "previous": "Vorige sessie",
        "synthesis": "Synthese",
        "score_note": "De score (0–100) telt impact voor 40%, onzekerheid voor 30% en het "
        "aandeel groepen dat het noemde voor 30%.",
        "rooms_note": "Niemand stemde: hoe meer groepen een onderwerp noemden, "
        "hoe hoger het staat.",
        "free_note": "Gerangschikt op hoeveel groepen een onderwerp noemden.",
        "score": "score",
        "impact": "impact",
        "uncertainty": "onzekerheid",
        "raised": "genoemd in",
        "clusters": "clusters",
        "matrix": "Impact en onzekerheid",
        "item": "onderwerp",
        "polls": "Peilingen",
        "points": "punten",
        "points_one": "punt",
        "first_one": "keer eerste",
        "first": "keer eerste",
        "answers": "antwoorden",
        "scenarios": "Scenario's per groep",
        "axes": "Assen",
        "axis_x": "Horizontale as",
        "axis_y": "Verticale as",
        "metaphor": "Metafoor",
        "traits": "Kenmerken",
        "paths": "Route naar de horizon per groep",
        "boards": "Borden per groep",
        "cluster": "cluster",
        "hidden": "(privé briefje)",
        "keep": "Wat blijft",
        "new": "Wat is nieuw",
        "drop": "Wat verdwijnt",
        "step": "Stappen",
        "trend": "Trends",
        "note": "Briefjes",
        "notes_word": "briefjes",
        "note_word": "briefje",
        "person_word": "deelnemer",
        "scenario": "scenariomethode",
        "backcast": "backcasting",
        "free": "vrije break-out",
    },
    "en": {
        "decimal": ".",
        "question": "Question",
        "method": "Method",
        "date": "Date",
        "generated": "Made on",
        "horizon": "Horizon",
        "rooms": "Groups",
        "people": "Participants",
        "previous": "Previous session",
        "synthesis": "Synthesis",
        "score_note": "The score (0–100) counts impact for 40%, uncertainty for 30% and the "
        "share of groups that raised it for 30%.",
        "rooms_note": "Nobody voted: the more groups raised an item, the higher it stands.",
        "free_note": "Ranked by how many groups raised an item.",
        "score": "score",
        "impact": "impact",
        "uncertainty": "uncertainty",
        "raised": "raised in",
        "clusters": "clusters",
        "matrix": "Impact and uncertainty",
        "item": "item",
        "polls": "Polls",
        "points": "points",
        "points_one": "point",
        "first_one": "time first",
        "first": "times first",
        "answers": "answers",
        "scenarios": "Scenarios per group",
        "axes": "Axes",
        "axis_x": "Horizontal axis",
        "axis_y": "Vertical axis",
        "metaphor": "Metaphor",
        "traits": "Characteristics",
        "paths": "Path to the horizon per group",
        "boards": "Boards per group",
        "cluster": "cluster",
        "hidden": "(private note)",
        "keep": "What stays",
        "new": "What is new",
        "drop": "What disappears",
        "step": "Steps",
        "trend": "Trends",
        "note": "Notes",
        "notes_word": "notes",
        "note_word": "note",
        "person_word": "participant",
        "scenario": "scenario method",
        "backcast": "backcasting",
        "free": "free break-out",
    },
}

_INLINE = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")  # "&" only where it would start an entity
_LINE_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")


def _line_start(match: re.Match[str]) -> str:
    # CommonMark escapes punctuation only: `#` -> `\#`, and `1.` -> `1\.` (not `\1.`).
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def md(text: str | None) -> str:
    """People's words for one line of Markdown: literal, on one line."""
    line = " ".join((text or "").split())
    return _LINE_START.sub(_line_start, _INLINE.sub(r"\\\1", line))


def md_block(text: str | None) -> str:
    """People's words over several lines: each line literal, line breaks kept."""
    lines = [md(line) for line in (text or "").splitlines()]
    paragraphs = "\n".join(lines).split("\n\n")
    return "\n\n".join(p.replace("\n", "  \n") for p in paragraphs if p.strip())


def decimal(value: float | None, t: dict[str, str]) -> str:
    """A mean as the language writes it: 3,5 in Dutch, 3.5 in English.

    Halves round up, as the pages round them (the browser's number format): a mean of
    4.25 is 4,3 on the wall and in the report alike, not 4,2 (Python's format rounds a
    half to even). Like the browser, this rounds the number as it is written shortest
    (4.35, not the float just below it).
    """
    if value is None:
        return "–"
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:.1f}".replace(".", t["decimal"])


def score_text(score: float, t: dict[str, str]) -> str:
    """A score as a whole number when it is one (75), else with the language's decimal."""
    return str(int(score)) if float(score).is_integer() else decimal(score, t)


def voted(synthesis: dict[str, Any]) -> bool:
    """Whether any item has votes (a free break-out has none: no score, no tallies to show)."""
    return any(
        (item["impact"].get("n") or 0) + (item["uncertainty"].get("n") or 0)
        for item in synthesis["items"]
    )


def _tally(summary: dict[str, Any] | None, word: str, t: dict[str, str]) -> str:
    if not summary or summary.get("mean") is None:
        return f"{word} –"
    return f"{word} {decimal(summary['mean'], t)} (n={summary['n']})"


def markdown(data: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    w = data["workshop"]
    t = TEXT.get(w["language"], TEXT["en"])
    out = [
        f"# {md(w['title'])}",
        "",
        f"**{t['question']}:** {md(w['question'])}  ",
        f"**{t['method']}:** {capital(t[w['method']])}  ",  # as the PDF writes it
    ]
    if w.get("horizon"):
        out.append(f"**{t['horizon']}:** {md(w['horizon'])}  ")
    out += [
        f"**{t['date']}:** {local_date(w['created_at'], w.get('timezone', 'UTC'))}  ",
        f"**{t['generated']}:** {local_minute(data['generated_at'], w.get('timezone', 'UTC'))}  ",
        f"**{t['rooms']}:** {len(data['rooms'])} · **{t['people']}:** {data['participants']}",
    ]
    out += _previous(w.get("previous"), t)
    out += _synthesis(data, t)
    out += _polls(data.get("polls", []), t)
    out += _scenarios(data, t, w["language"])
    out += _paths(data, t)
    out += _boards(data, t, w["method"])
    return "\n".join(out) + "\n"


def ranking_note(with_votes: bool, method: str, t: dict[str, str]) -> str:
    """What the synthesis's order stands on: the score, or how many groups raised an item.

    A free break-out never votes, so "nobody voted" would read as if nobody took part.
    """
    if with_votes:
        return t["score_note"]
    return t["free_note"] if method == "free" else t["rooms_note"]


def previous_line(item: dict[str, Any], t: dict[str, str]) -> str:
    """One of the session before's top items: its title and the groups that raised it.

    Not its score: in a free break-out that is only the same breadth said as a number.
    """
    rooms = item.get("room_names") or item["rooms"]
    # Backcasting's five mix what stays, is new and disappears: each says which.
    lane = f"{t[item['lane']]} · " if item.get("lane") in ("keep", "new", "drop", "step") else ""
    return f"{item['title']} — {lane}{t['raised']} {', '.join(rooms)}"


def _previous(previous: dict[str, Any] | None, t: dict[str, str]) -> list[str]:
    if not previous:
        return []
    out = ["", f"## {t['previous']}: {md(previous['title'])}", "", md(previous["question"]), ""]
    for rank, item in enumerate(previous.get("items", []), start=1):
        out.append(f"{rank}. {md(previous_line(item, t))}")
    return out


def numbered_rated(synthesis: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The items with votes, each with its number in the lists: the chart's dots."""
    return [
        (number, item)
        for number, item in enumerate(in_lane_order(synthesis), start=1)
        if item["impact"]["mean"] is not None and item["uncertainty"]["mean"] is not None
    ]


def in_lane_order(synthesis: dict[str, Any]) -> list[dict[str, Any]]:
    """The items lane by lane, by rank within each: the numbers of the tables and the chart."""
    items = {i["id"]: i for i in synthesis["items"]}
    return [items[i] for ids in synthesis["lanes"].values() for i in ids]


def _synthesis(data: dict[str, Any], t: dict[str, str]) -> list[str]:
    synthesis = data["synthesis"]
    names = {r["id"]: r["name"] for r in synthesis["rooms"]}
    order = {r["id"]: n for n, r in enumerate(synthesis["rooms"])}
    items = {i["id"]: i for i in synthesis["items"]}
    with_votes = voted(synthesis)
    out = ["", f"## {t['synthesis']}", "", ranking_note(with_votes, data["workshop"]["method"], t)]
    number = 0  # runs on across lanes, so the chart's numbers name one item each
    for lane, ids in synthesis["lanes"].items():
        if len(synthesis["lanes"]) > 1 or data["workshop"]["method"] == "backcast":
            out += ["", f"### {t.get(lane, md(lane))}"]
        out.append("")  # a Markdown list starts at its first number: 5. goes on from 4.
        for item_id in ids:
            number += 1
            item = items[item_id]
            rooms = sorted(item["rooms"], key=lambda r: order.get(r, len(order)))
            raised = ", ".join(names.get(r, r) for r in rooms)
            score = score_text(item["score"], t)
            if scored(with_votes, lane):
                out.append(
                    f"{number}. **{md(item['title'])}** — {t['score']} {score} · "
                    f"{t['raised']} {md(raised)} · {_tally(item['impact'], t['impact'], t)}"
                    f" · {_tally(item['uncertainty'], t['uncertainty'], t)}"
                )
            else:
                when = step_moments(item, order)
                when = f" ({md(when)})" if when else ""
                out.append(f"{number}. **{md(item['title'])}**{when} — {t['raised']} {md(raised)}")
            titles = sorted({c["title"] for c in item.get("clusters", [])})
            if titles:
                out.append(f"   - *{t['clusters']}:* {md(', '.join(titles))}")
            out += [
                f"   - {md(n['text'])} ({md(names.get(n['room'], n['room']))})"
                for n in item["notes"]
            ]
    rated = numbered_rated(synthesis)
    if rated:
        out += [
            "",
            f"### {t['matrix']}",
            "",
            f"| # | {t['item']} | {t['impact']} | {t['uncertainty']} |",
            "|---|---|---|---|",
        ]
        for number, item in rated:
            out.append(
                f"| {number} | {md(item['title'])} | {decimal(item['impact']['mean'], t)} | "
                f"{decimal(item['uncertainty']['mean'], t)} |"
            )
    return out


def _polls(polls: list[dict[str, Any]], t: dict[str, str]) -> list[str]:
    if not polls:
        return []
    out = ["", f"## {t['polls']}"]
    for poll in polls:
        out += ["", f"### {md(poll['question'])}", "", f"{poll['answers']} {t['answers']}", ""]
        results = poll.get("results") or []
        for place, result in zip(poll_places(results, poll["kind"]), results, strict=True):
            # A bullet with the place in it: a numbered list would be renumbered 1, 2, 3.
            text = f"**{md(result['text'])}**"
            out.append(f"- {place}\\. {poll_result(result, poll['kind'], t, text)}")
            out += [f"   - {md(wording)}" for wording in other_wordings(result)]
    return out


def poll_places(results: list[dict[str, Any]], kind: str) -> list[int]:
    """Each result's place; equal results share one (1, 1, 3), as on the wall and phones."""

    def key(result: dict[str, Any]) -> tuple[int, ...]:
        return (result["points"], result["first"]) if kind == "rank" else (result["count"],)

    places: list[int] = []
    for index, result in enumerate(results):
        same = index > 0 and key(result) == key(results[index - 1])
        places.append(places[-1] if same else index + 1)
    return places


def other_wordings(result: dict[str, Any]) -> list[str]:
    """The answers counted under a poll result in other words than its own, each once."""

    def key(text: str) -> str:
        return " ".join(text.casefold().split()).rstrip(".!?")

    seen = {key(result["text"])}
    found = []
    for answer in result.get("answers") or []:
        if key(answer) not in seen:
            seen.add(key(answer))
            found.append(answer)
    return found


def poll_result(result: dict[str, Any], kind: str, t: dict[str, str], text: str) -> str:
    """A poll's result line after its text: Borda points and first places, or the count."""
    if kind == "rank":
        points, first = result["points"], result["first"]
        points_word = t["points_one"] if points == 1 else t["points"]
        first_word = t["first_one"] if first == 1 else t["first"]
        return f"{text} — {points} {points_word}, {first} {first_word}"
    return f"{text} ({result['count']}×)"


def _scenarios(data: dict[str, Any], t: dict[str, str], language: str) -> list[str]:
    scenarios = data["synthesis"].get("scenarios") or []
    if not scenarios:
        return []
    out = ["", f"## {t['scenarios']}"]
    for scenario in scenarios:
        axes = scenario["axes"]
        out += ["", f"### {md(scenario['room_name'])}", ""]
        for key, axis in (("axis_x", axes["x"]), ("axis_y", axes["y"])):
            out.append(
                f"- {t[key]}: **{md(axis['title'])}** "
                f"({md(axis['low'] or '–')} ↔ {md(axis['high'] or '–')})"
            )
        # In the order the PDF and the wall's story pages use (tenth trial: stored order).
        for story in sorted(scenario["stories"], key=lambda s: QUADRANTS.index(s["quadrant"])):
            if not (story["title"] or story["text"] or story["metaphor"] or story["traits"]):
                continue
            # The scenario's own title leads; its quadrant (a chain of poles) follows it.
            name = quadrant_name(story["quadrant"], axes, language)
            heading = (
                f"#### {md(story['title'])} ({md(name)})" if story["title"] else f"#### {md(name)}"
            )
            out += ["", heading, ""]
            if story["metaphor"]:
                out.append(f"*{t['metaphor']}:* {md(story['metaphor'])}  ")
            if story["traits"]:
                out.append(f"*{t['traits']}:* {md(', '.join(story['traits']))}")
            if story["text"]:
                out += ["", md_block(story["text"])]
    return out


def _paths(data: dict[str, Any], t: dict[str, str]) -> list[str]:
    boards = [b for b in data["rooms"] if b.get("path")]
    if not boards:
        return []
    horizon = data["workshop"].get("horizon")
    out = ["", f"## {t['paths']}" + (f" ({md(horizon)})" if horizon else "")]
    for board in boards:
        out += ["", f"### {md(board['name'])}", ""]
        for n, step in enumerate(board["path"], start=1):
            when = f"**{md(step['when'])}:** " if step.get("when") else ""
            out.append(f"{n}. {when}{md(step['text'] or t['hidden'])}")
    return out


def board_counts(board: dict[str, Any], t: dict[str, str]) -> str:
    """ "2 briefjes, 1 deelnemer": a room's notes and people, singular where one."""
    notes, people = len(board["notes"]), board.get("participants", 0)
    note_word = t["note_word"] if notes == 1 else t["notes_word"]
    person_word = t["person_word"] if people == 1 else t["people"].lower()
    return f"{notes} {note_word}, {people} {person_word}"


def _boards(data: dict[str, Any], t: dict[str, str], method: str) -> list[str]:
    out = ["", f"## {t['boards']}"]
    for board in data["rooms"]:
        clusters = {c["id"]: c["title"] for c in board["clusters"]}
        out += ["", f"### {md(board['name'])} ({board_counts(board, t)})", ""]
        for note in board["notes"]:
            lane = f"[{t.get(note['lane'], md(note['lane']))}] " if method == "backcast" else ""
            cluster = (
                f" — {t['cluster']}: {md(clusters[note['cluster_id']])}"
                if note["cluster_id"] in clusters
                else ""
            )
            text = md(note["text"]) if note["text"] is not None else t["hidden"]
            out.append(f"- {lane}{text}{cluster}")
    return out


def capital(text: str) -> str:
    """A value that opens a line or a table cell, with a capital: "Backcasting"."""
    return text[:1].upper() + text[1:]


def scored(with_votes: bool, lane: str) -> bool:
    """Whether a lane's items show a score: not without votes, never for steps (not voted on)."""
    return with_votes and lane != STEP_LANE


def step_moments(item: dict[str, Any], room_order: dict[str, int]) -> str:
    """A merged step's moments on the rooms' paths, each once, in the rooms' order
    ("Q1 2027 · voorjaar")."""
    notes = sorted(
        item["notes"], key=lambda n: (room_order.get(n["room"], len(room_order)), n["note_id"])
    )
    return " · ".join(dict.fromkeys(n["when"] for n in notes if n.get("when")))
