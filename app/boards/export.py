"""The report members receive afterwards: Markdown, JSON (everything) and CSV (one row a note)."""

import csv
import io
import re
from typing import Any

from sqlmodel import Session

from app.boards import rules
from app.boards.board import room_notes
from app.boards.plenary import synthesis_snapshot
from app.boards.snapshot import board_snapshot
from app.clock import iso, utcnow
from app.realtime.gateway import Identity
from app.rooms import service as rooms

TEXT = {
    "nl": {
        "question": "Vraag",
        "method": "Methode",
        "date": "Datum",
        "rooms": "Groepen",
        "people": "Deelnemers",
        "synthesis": "Synthese",
        "score": "score",
        "impact": "impact",
        "uncertainty": "onzekerheid",
        "raised": "genoemd in",
        "matrix": "Assenkruis",
        "stories": "Verhalen per groep",
        "boards": "Borden per groep",
        "axes": "assen",
        "metaphor": "metafoor",
        "cluster": "cluster",
        "keep": "Wat blijft",
        "new": "Wat is nieuw",
        "drop": "Wat verdwijnt",
        "trend": "Trends",
        "note": "Notities",
        "scenario": "scenariomethode",
        "backcast": "backcasting",
        "free": "vrije break-out",
    },
    "en": {
        "question": "Question",
        "method": "Method",
        "date": "Date",
        "rooms": "Rooms",
        "people": "Participants",
        "synthesis": "Synthesis",
        "score": "score",
        "impact": "impact",
        "uncertainty": "uncertainty",
        "raised": "raised in",
        "matrix": "Axis cross",
        "stories": "Stories per room",
        "boards": "Boards per room",
        "axes": "axes",
        "metaphor": "metaphor",
        "cluster": "cluster",
        "keep": "What stays",
        "new": "What is new",
        "drop": "What disappears",
        "trend": "Trends",
        "note": "Notes",
        "scenario": "scenario method",
        "backcast": "backcasting",
        "free": "free break-out",
    },
}
QUADRANT_NAMES = {"hh": "HH", "hl": "HL", "lh": "LH", "ll": "LL"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md(text: str) -> str:
    """Note text as literal Markdown: markup characters escaped, newlines kept as breaks."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def report(session: Session, workshop_id: str) -> dict[str, Any]:
    """Everything of the workshop, machine-readable (no participant names: anonymous)."""
    workshop = rooms.get_workshop(session, workshop_id)
    moderator = Identity(workshop_id=workshop_id, role="moderator")
    members = rooms.participants_by_room(session, workshop_id)
    boards = []
    for room in rooms.all_rooms(session, workshop_id):
        board = board_snapshot(session, moderator, room.id)
        for note in board["notes"]:
            note.pop("author", None)
        board.pop("my_votes", None)
        boards.append({**board, "participants": len(members.get(room.id, []))})
    return {
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "question": workshop.question,
            "method": workshop.method,
            "language": workshop.language,
            "created_at": iso(workshop.created_at),
        },
        "generated_at": iso(utcnow()),
        "participants": sum(len(m) for m in members.values()),
        "rooms": boards,
        "synthesis": synthesis_snapshot(session, workshop_id),
    }


def _tally_text(summary: dict[str, Any], word: str) -> str:
    if summary.get("mean") is None:
        return f"{word} –"
    return f"{word} {summary['mean']:.1f} (n={summary['n']})"


def markdown(data: dict[str, Any]) -> str:
    """The report as Markdown, in the workshop's language."""
    w = data["workshop"]
    t = TEXT.get(w["language"], TEXT["en"])
    names = {r["id"]: r["name"] for r in data["synthesis"]["rooms"]}
    items = {i["id"]: i for i in data["synthesis"]["items"]}
    out = [
        f"# {md(w['title'])}",
        "",
        f"**{t['question']}:** {md(w['question'])}  ",
        f"**{t['method']}:** {t[w['method']]}  ",
        f"**{t['date']}:** {w['created_at'][:10]}  ",
        f"**{t['rooms']}:** {len(data['rooms'])} · **{t['people']}:** {data['participants']}",
        "",
        f"## {t['synthesis']}",
    ]
    for lane, ids in data["synthesis"]["lanes"].items():
        if len(data["synthesis"]["lanes"]) > 1 or w["method"] == "backcast":
            out += ["", f"### {t.get(lane, lane)}"]
        out.append("")
        for rank, item_id in enumerate(ids, start=1):
            item = items[item_id]
            raised = ", ".join(names.get(r, r) for r in item["rooms"])
            out.append(
                f"{rank}. **{md(item['title'])}** — {t['score']} {item['score']} · "
                f"{t['raised']} {md(raised)} · {_tally_text(item['impact'], t['impact'])}"
                f" · {_tally_text(item['uncertainty'], t['uncertainty'])}"
            )
            out += [
                f"   - {md(n['text'])} ({md(names.get(n['room'], n['room']))})"
                for n in item["notes"]
            ]
    out += [
        "",
        f"## {t['matrix']}",
        "",
        f"![{t['matrix']}](matrix.svg)",
        "",
        f"| # | item | {t['impact']} | {t['uncertainty']} |",
        "|---|---|---|---|",
    ]
    ranked = [i for ids in data["synthesis"]["lanes"].values() for i in ids]
    for rank, item_id in enumerate(ranked, start=1):
        item = items[item_id]
        if item["impact"]["mean"] is not None:
            out.append(
                f"| {rank} | {md(item['title'])} | {item['impact']['mean']:.1f} | "
                f"{item['uncertainty']['mean']:.1f} |"
            )
    out += ["", f"## {t['stories']}"]
    for board in data["rooms"]:
        stories = [s for s in board["stories"] if s["title"] or s["metaphor"] or s["text"]]
        if not stories:
            continue
        out += ["", f"### {md(board['name'])}"]
        texts = {n["id"]: n["text"] for n in board["notes"]}
        texts.update({c["id"]: c["title"] for c in board["clusters"]})
        if board["axes"]["x"] and board["axes"]["y"]:
            out.append(
                f"{t['axes']}: {md(texts.get(board['axes']['x'], '?'))} × "
                f"{md(texts.get(board['axes']['y'], '?'))}"
            )
        for story in stories:
            out += [
                "",
                f"**{QUADRANT_NAMES[story['quadrant']]}: {md(story['title'])}**"
                + (f" — {t['metaphor']}: {md(story['metaphor'])}" if story["metaphor"] else ""),
                "",
                md(story["text"]),
            ]
    out += ["", f"## {t['boards']}"]
    for board in data["rooms"]:
        clusters = {c["id"]: c["title"] for c in board["clusters"]}
        out += ["", f"### {md(board['name'])} ({len(board['notes'])})", ""]
        for note in board["notes"]:
            lane = f"[{t.get(note['lane'], note['lane'])}] " if w["method"] == "backcast" else ""
            cluster = (
                f" — {t['cluster']}: {md(clusters[note['cluster_id']])}"
                if note["cluster_id"] in clusters
                else ""
            )
            out.append(f"- {lane}{md(note['text'] or '')}{cluster}")
    return "\n".join(out) + "\n"


def _cell(value: object) -> object:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(session: Session, workshop_id: str, data: dict[str, Any]) -> str:
    """One row per note: room, lane, text, item, cluster and the tallies."""
    synthesis = data["synthesis"]
    item_of = {n["note_id"]: item for item in synthesis["items"] for n in item["notes"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "room",
            "lane",
            "text",
            "item",
            "item_score",
            "cluster",
            "impact_mean",
            "impact_n",
            "uncertainty_mean",
            "uncertainty_n",
            "note_id",
        ]
    )
    for board in data["rooms"]:
        clusters = {c["id"]: c["title"] for c in board["clusters"]}
        tallies = {t["target"]: t for t in board["tallies"]}
        for note in room_notes(session, board["room"]):
            item = item_of.get(note.id)
            tally = tallies.get(note.id) or rules.tally(note.id, [])
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        board["name"],
                        note.lane,
                        note.text,
                        item["title"] if item else "",
                        item["score"] if item else "",
                        clusters.get(note.cluster_id or "", ""),
                        tally["impact"]["mean"] if tally["impact"]["mean"] is not None else "",
                        tally["impact"]["n"],
                        tally["uncertainty"]["mean"]
                        if tally["uncertainty"]["mean"] is not None
                        else "",
                        tally["uncertainty"]["n"],
                        note.id,
                    )
                ]
            )
    return buffer.getvalue()
