"""The report as CSV: one row per note, safe to open in any spreadsheet, in any locale.

Every field is quoted. Quoting is not enough on its own: opened with the other
separator (a comma file in Dutch Excel, which splits on semicolons), a quoted
field falls apart at the first separator inside it, so `x;=1+1;` would still
yield a cell `=1+1`. Every place where a cell could begin, the field's start
and whatever follows a `,`, `;` or line break, therefore gets an apostrophe
before a formula character; a spreadsheet reads that cell as text. The file
starts with a byte-order mark so Excel reads UTF-8 ("coördinator"). Dutch
Excel expects semicolons and decimal commas, so there is a variant for it, with
Dutch column names; the default stays machine-friendly (commas, points, English).
"""

import csv
import io
import re
from typing import Any

from app.boards.export_md import scored, voted

# A cell may begin at the field's start or after a separator or line break of either
# locale, past spaces and quotes; there a formula character must not come first.
_CELL_START = re.compile(r"(^|[,;\r\n])([ \"']*)(?=[=+\-@\t\r])")
COLUMNS = [
    "room",
    "lane",
    "text",
    "when",
    "item",
    "item_score",
    "cluster",
    "impact_mean",
    "impact_n",
    "uncertainty_mean",
    "uncertainty_n",
    "rated_as",
    "note_id",
]
DUTCH_COLUMNS = [
    "groep",
    "soort",
    "tekst",
    "wanneer",
    "onderwerp",
    "score",
    "cluster",
    "impact_gemiddeld",
    "impact_n",
    "onzekerheid_gemiddeld",
    "onzekerheid_n",
    "beoordeeld_als",
    "briefje_id",
]
DUTCH_RATED_AS = {"note": "briefje", "cluster": "cluster"}
# The lanes as the Dutch pages name them, for the Dutch columns.
DUTCH_LANES = {
    "trend": "trend",
    "keep": "wat blijft",
    "new": "wat is nieuw",
    "drop": "wat verdwijnt",
    "step": "stap",
    "note": "briefje",
}
DECIMALS = {"item_score", "impact_mean", "uncertainty_mean"}  # written 4,5 for Dutch Excel


def cell(value: object) -> str:
    """One field, neutralised: no spreadsheet reads any part of it as a formula."""
    text = "" if value is None else str(value)
    return _CELL_START.sub(r"\1\2'", text)


def _tally(tally: dict[str, Any] | None) -> tuple[object, object, object, object]:
    if not tally or tally.get("hidden") or not tally.get("impact"):
        return "", "", "", ""
    impact, uncertainty = tally["impact"], tally["uncertainty"]
    return (
        impact["mean"] if impact["mean"] is not None else "",
        impact["n"],
        uncertainty["mean"] if uncertainty["mean"] is not None else "",
        uncertainty["n"],
    )


def csv_text(data: dict[str, Any], dutch_excel: bool = False) -> str:
    """The report's notes as CSV text (with a byte-order mark); for Dutch Excel if asked."""
    synthesis = data["synthesis"]
    item_of = {n["note_id"]: item for item in synthesis["items"] for n in item["notes"]}
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(
        buffer, delimiter=";" if dutch_excel else ",", quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    writer.writerow(DUTCH_COLUMNS if dutch_excel else COLUMNS)
    decimal = [name in DECIMALS for name in COLUMNS]
    # As in the other reports: no score without votes (a free break-out), none for steps.
    with_votes = voted(synthesis)
    for board in data["rooms"]:
        clusters = {c["id"]: c["title"] for c in board["clusters"]}
        tallies = {t["target"]: t for t in board["tallies"]}
        for note in board["notes"]:
            item = item_of.get(note["id"])
            # A room that voted on its clusters rated the note through its cluster.
            own = tallies.get(note["id"])
            via_cluster = tallies.get(note["cluster_id"] or "")
            tally, rated_as = (own, "note") if own else (via_cluster, "cluster")
            values = _tally(tally)
            lane = note["lane"]
            if dutch_excel:
                rated_as = DUTCH_RATED_AS[rated_as]
                lane = DUTCH_LANES.get(lane, lane)
            row = (
                board["name"],
                lane,
                note["text"],
                note.get("when"),
                item["title"] if item else "",
                item["score"] if item and scored(with_votes, item["lane"]) else "",
                clusters.get(note["cluster_id"] or "", ""),
                *values,
                rated_as if values[0] != "" else "",
                note["id"],
            )
            writer.writerow(
                [
                    _number(v) if dutch_excel and is_decimal else cell(v)
                    for v, is_decimal in zip(row, decimal, strict=True)
                ]
            )
    return buffer.getvalue()


def _number(value: object) -> str:
    # A number as Dutch Excel reads it (4,5); nothing else ever lands in these columns.
    return "" if value in ("", None) else str(value).replace(".", ",")
