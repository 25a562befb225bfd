"""The report as a PDF (A4) to print or send, built with ReportLab from `report()`'s data.

Fonts: the PDF embeds Bitstream Vera (Sans, Bold, Oblique, Bold Oblique), the TrueType
fonts that ReportLab ships in `reportlab/fonts`. The PDF standard fonts (Helvetica and
friends) only cover Latin-1 through a single-byte encoding, and depend on the reader for
glyphs; an embedded TTF renders the same everywhere and covers what Dutch and English
workshops write: ö, é, ë, the en dash, the ellipsis, curly quotes, the euro sign. Vera has
no arrows, so the report writes poles as "low - high" with an en dash, and no emoji:
`pdf_text` leaves out what it cannot draw instead of printing empty boxes. Being inside the
reportlab package, the fonts need no system package and no download.

Layout: a title block, the previous session, the synthesis (table with the score's
parts, then the impact and uncertainty chart with numbered dots: the numbers are the
ranks in the table, so no label can overlap another), the polls, each room's scenario
cross with its poles and four stories, each backcast room's path, and every room's
board. Major parts start on a new page; the footer carries the title and page number.
No author is named anywhere (the data carries none).
"""

import io
import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Rect,
    String,
)
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.boards.export_md import (
    TEXT,
    board_counts,
    capital,
    decimal,
    numbered_rated,
    other_wordings,
    poll_places,
    poll_result,
    previous_line,
    ranking_note,
    score_text,
    scored,
    step_moments,
    voted,
)
from app.boards.pdf_text import printable_data
from app.boards.rules import quadrant_name
from app.clock import local_date, local_minute

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
FONTS = {"Vera": "Vera.ttf", "Vera-Bold": "VeraBd.ttf", "Vera-Italic": "VeraIt.ttf"}
FONTS["Vera-BoldItalic"] = "VeraBI.ttf"
QUADRANTS = ("hh", "hl", "lh", "ll")
EXTRA = {
    "nl": {
        "report": "Rapport",
        "rank": "#",
        "low": "laag",
        "high": "hoog",
        "page": "pagina",
        "unclustered": "Los",
        "legend": "De nummers zijn de plaatsen in de tabel hierboven; hieronder met hun titel.",
        "of_rooms": "{n} van {total}",
        "clusters_label": "Clusters",
    },
    "en": {
        "report": "Report",
        "rank": "#",
        "low": "low",
        "high": "high",
        "page": "page",
        "unclustered": "Loose",
        "legend": "The numbers are the places in the table above; below with their titles.",
        "of_rooms": "{n} of {total}",
        "clusters_label": "Clusters",
    },
}
INK = colors.HexColor("#111827")
MUTED = colors.HexColor("#4b5563")
LINE = colors.HexColor("#d1d5db")
ACCENT = colors.HexColor("#1d4ed8")
QUAD_FILL = {
    "hh": colors.HexColor("#eff6ff"),
    "hl": colors.HexColor("#f0fdf4"),
    "lh": colors.HexColor("#fdf2f8"),
    "ll": colors.HexColor("#fefce8"),
}


def _register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONTS.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(
        "Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic"
    )


def _styles() -> dict[str, Any]:
    body = ParagraphStyle("body", fontName="Vera", fontSize=10, leading=13.5, textColor=INK)
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontName="Vera-Bold", fontSize=20, leading=25
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName="Vera-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=6,
            spaceAfter=6,
            textColor=ACCENT,
            keepWithNext=1,  # a heading never ends a page alone
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName="Vera-Bold",
            fontSize=12,
            leading=15,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "cellb": ParagraphStyle(
            "cellb", parent=body, fontName="Vera-Bold", fontSize=9, leading=11.5
        ),
        "center": ParagraphStyle(
            "center", parent=body, fontSize=9, leading=11.5, alignment=TA_CENTER
        ),
        "item": ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=2),
        "subitem": ParagraphStyle(
            "subitem", parent=body, fontSize=8.5, leading=11, leftIndent=28, bulletIndent=16
        ),
    }


def _p(text: str | None, style: Any) -> Any:
    """People's words as a paragraph: escaped, line breaks kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _distinct(texts: list[str]) -> str:
    """An item's notes, each wording once, with how often it was written."""
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
    return " · ".join(f"{text} (×{n})" if n > 1 else text for text, n in counts.items())


def _fits(header: str) -> float:
    """A number column as wide as its bold header, whole ("onzekerheid"), plus the padding."""
    width: float = pdfmetrics.stringWidth(header, "Vera-Bold", 9) + 14
    least: float = 14 * mm
    return max(least, width)


def _mean(summary: dict[str, Any] | None, t: dict[str, str]) -> str:
    return decimal(summary.get("mean") if summary else None, t)


class _Report:
    """One PDF being built: the words of its language, its styles and its story."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.lang = data["workshop"]["language"]
        self.t = {**TEXT.get(self.lang, TEXT["en"]), **EXTRA.get(self.lang, EXTRA["en"])}
        self.s = _styles()
        self.story: list[Any] = []

    def add(self, *flowables: Any) -> None:
        self.story.extend(flowables)

    def bullets(self, lines: list[str], numbered: bool = False) -> None:
        for n, line in enumerate(lines, start=1):
            bullet = f"{n}." if numbered else "•"
            self.add(Paragraph(escape(line), self.s["item"], bulletText=bullet))

    def header(self) -> None:
        w, t = self.data["workshop"], self.t
        self.add(Paragraph(escape(w["title"]), self.s["title"]), Spacer(1, 4))
        rows = [
            (t["question"], w["question"]),
            (t["method"], capital(t.get(w["method"], w["method"]))),
        ]
        if w.get("horizon"):
            rows.append((t["horizon"], w["horizon"]))
        rows += [
            (t["date"], local_date(w["created_at"], w.get("timezone", "UTC"))),
            (t["rooms"], str(len(self.data["rooms"]))),
            (t["people"], str(self.data["participants"])),
            (t["generated"], local_minute(self.data["generated_at"], w.get("timezone", "UTC"))),
        ]
        table = Table(
            [[_p(k, self.s["cellb"]), _p(v, self.s["cell"])] for k, v in rows],
            colWidths=[38 * mm, None],
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.add(table)

    def previous(self) -> None:
        previous = self.data["workshop"].get("previous")
        if not previous:
            return
        self.add(Paragraph(escape(f"{self.t['previous']}: {previous['title']}"), self.s["h1"]))
        self.add(_p(previous["question"], self.s["body"]), Spacer(1, 4))
        self.bullets([previous_line(i, self.t) for i in previous["items"]], numbered=True)

    def synthesis(self) -> None:
        synthesis, t = self.data["synthesis"], self.t
        names = {r["id"]: r["name"] for r in synthesis["rooms"]}
        order = {r["id"]: n for n, r in enumerate(synthesis["rooms"])}
        total = len({r for i in synthesis["items"] for r in i["rooms"]}) or len(names)
        items = {i["id"]: i for i in synthesis["items"]}

        def raised(rooms: list[str]) -> str:
            if len(rooms) > 3:
                return t["of_rooms"].format(n=len(rooms), total=total)
            return ", ".join(names.get(r, r) for r in sorted(rooms, key=lambda r: order.get(r, 0)))

        # A free break-out has no votes: no score or tallies to print, only the rooms.
        with_votes = voted(synthesis)
        note = ranking_note(with_votes, self.data["workshop"]["method"], t)
        self.add(Paragraph(escape(t["synthesis"]), self.s["h1"]), _p(note, self.s["small"]))
        lanes = synthesis["lanes"]
        number = 0  # runs on across lanes: the chart's dots carry these numbers
        for lane, ids in lanes.items():
            if len(lanes) > 1 or synthesis["method"] == "backcast":
                self.add(Paragraph(escape(t.get(lane, lane)), self.s["h2"]))
            head = [t["rank"], t["item"], t["raised"]]
            with_score = scored(with_votes, lane)
            if with_score:
                head += [t["impact"], t["uncertainty"], t["score"]]
            head = [capital(h) for h in head]
            rows: list[list[Any]] = [[_p(h, self.s["cellb"]) for h in head]]
            for item_id in ids:
                number += 1
                item = items[item_id]
                texts = [n["text"] for n in item["notes"]]
                # The notes behind the item, unless that is just its own title once.
                notes = "" if texts == [item["title"]] else _distinct(texts)
                # The rooms' clusters whose notes went into it: "Groep 1 «Tech», …".
                clusters = sorted(
                    item.get("clusters") or [],
                    key=lambda c: (order.get(c["room"], 0), c["title"]),
                )
                behind = ", ".join(
                    f"{names.get(c['room'], c['room'])} «{c['title']}»" for c in clusters
                )
                cell = [_p(item["title"], self.s["cellb"])]
                moments = step_moments(item, order)
                if moments:
                    cell.append(_p(moments, self.s["small"]))
                if notes:
                    cell.append(_p(notes, self.s["small"]))
                if behind:
                    label = f"<i>{escape(t['clusters_label'])}:</i> "
                    cell.append(Paragraph(label + escape(behind), self.s["small"]))
                row = [
                    _p(str(number), self.s["cell"]),
                    cell,
                    _p(raised(item["rooms"]), self.s["cell"]),
                ]
                if with_score:
                    row += [
                        _p(_mean(item["impact"], self.t), self.s["center"]),
                        _p(_mean(item["uncertainty"], self.t), self.s["center"]),
                        _p(score_text(item["score"], self.t), self.s["center"]),
                    ]
                rows.append(row)
            table = Table(
                rows,
                colWidths=[10 * mm, None, 28 * mm, *(_fits(h) for h in head[3:])],
                repeatRows=1,
            )
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
                        ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
                    ]
                )
            )
            self.add(table)
        rated = numbered_rated(synthesis)
        chart = _chart(rated, t)
        if chart is not None:
            self.add(
                KeepTogether(
                    [
                        Paragraph(escape(t["matrix"]), self.s["h2"]),
                        chart,
                        _p(t["legend"], self.s["small"]),
                        # Started on the chart's page, so "below" is below (tenth trial:
                        # the list began alone on the next page).
                        self._chart_legend(rated),
                    ]
                )
            )

    def _chart_legend(self, rated: list[tuple[int, dict[str, Any]]]) -> Table:
        # Each dot's number with its title, right under the chart: the table it numbers
        # can be pages back (eighth trial).
        lines = [_p(f"{n}. {item['title']}", self.s["small"]) for n, item in rated]
        half = (len(lines) + 1) // 2
        rows = [[lines[k], lines[k + half] if k + half < len(lines) else ""] for k in range(half)]
        legend = Table(rows, colWidths=[None, None])
        legend.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return legend

    def polls(self) -> None:
        polls = self.data.get("polls") or []
        if not polls:
            return
        t = self.t
        self.add(PageBreak(), Paragraph(escape(t["polls"]), self.s["h1"]))
        for poll in polls:
            self.add(
                Paragraph(escape(poll["question"]), self.s["h2"]),
                _p(f"{poll['answers']} {t['answers']}", self.s["small"]),
            )
            results = poll.get("results") or []
            for n, result in zip(poll_places(results, poll["kind"]), results, strict=True):
                line = poll_result(result, poll["kind"], t, result["text"])
                self.add(Paragraph(escape(line), self.s["item"], bulletText=f"{n}."))
                # Answers counted here in other words: a long one is read out, not lost.
                for wording in other_wordings(result):
                    self.add(Paragraph(escape(wording), self.s["subitem"], bulletText="–"))

    def scenarios(self) -> None:
        rooms = [
            b for b in self.data["rooms"] if (b.get("axes") or {}).get("x") and b["axes"].get("y")
        ]
        if not rooms:
            return
        t = self.t
        self.add(PageBreak(), Paragraph(escape(t["scenarios"]), self.s["h1"]))
        for board in rooms:
            axes = board["axes"]
            stories = {s["quadrant"]: s for s in board["stories"]}
            block: list[Any] = [Paragraph(escape(board["name"]), self.s["h2"])]
            for key, axis in (("axis_x", axes["x"]), ("axis_y", axes["y"])):
                low, high = axis.get("low") or t["low"], axis.get("high") or t["high"]
                block.append(_p(f"{t[key]}: {axis['title']} ({low} – {high})", self.s["body"]))
            block += [Spacer(1, 4), self.cross(axes, stories)]
            self.add(KeepTogether(block))
            for quadrant in QUADRANTS:
                story = stories.get(quadrant)
                if not story or not (
                    story["title"] or story["metaphor"] or story["text"] or story["traits"]
                ):
                    continue
                parts: list[Any] = [
                    _p(quadrant_name(quadrant, axes, self.lang), self.s["small"]),
                    _p(story["title"] or "—", self.s["h2"]),
                ]
                if story["metaphor"]:
                    parts.append(
                        Paragraph(
                            f"<i>{escape(t['metaphor'])}:</i> {escape(story['metaphor'])}",
                            self.s["body"],
                        )
                    )
                if story["traits"]:
                    parts.append(
                        Paragraph(
                            f"<i>{escape(t['traits'])}:</i> {escape(', '.join(story['traits']))}",
                            self.s["body"],
                        )
                    )
                self.add(KeepTogether(parts))
                if story["text"]:
                    self.add(_p(story["text"], self.s["body"]))
                self.add(Spacer(1, 6))

    def cross(self, axes: dict[str, Any], stories: dict[str, Any]) -> Any:
        """The cross as a table: poles at the ends, a quadrant per pole combination."""
        t = self.t

        def quad(q: str) -> list[Any]:
            cell = [_p(quadrant_name(q, axes, self.lang), self.s["small"])]
            title = (stories.get(q) or {}).get("title")
            if title:
                cell.append(_p(title, self.s["cellb"]))
            return cell

        def pole(axis: dict[str, Any], side: str, width: float = 114 * mm) -> Any:
            # Smaller type rather than a word broken in two in the narrow side columns
            # (tenth trial: "Location-indepe / ndent").
            text = f"{axis['title']}: {axis.get(side) or t[side]}"
            style = self.s["center"]
            room = width - 12  # the cell's padding, 6 points a side
            widest = max(
                pdfmetrics.stringWidth(w, style.fontName, style.fontSize) for w in text.split()
            )
            if widest > room:
                size = max(6.0, style.fontSize * room / widest)
                style = ParagraphStyle("pole", parent=style, fontSize=size, leading=size * 1.25)
            return _p(text, style)

        x, y = axes["x"], axes["y"]
        inner = Table([[quad("lh"), quad("hh")], [quad("ll"), quad("hl")]], colWidths=[56 * mm] * 2)
        inner.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.8, INK),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (0, 0), QUAD_FILL["lh"]),
                    ("BACKGROUND", (1, 0), (1, 0), QUAD_FILL["hh"]),
                    ("BACKGROUND", (0, 1), (0, 1), QUAD_FILL["ll"]),
                    ("BACKGROUND", (1, 1), (1, 1), QUAD_FILL["hl"]),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ]
            )
        )
        outer = Table(
            [
                ["", pole(y, "high"), ""],
                [pole(x, "low", 30 * mm), inner, pole(x, "high", 30 * mm)],
                ["", pole(y, "low"), ""],
            ],
            colWidths=[30 * mm, 114 * mm, 30 * mm],
        )
        outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return outer

    def paths(self) -> None:
        rooms = [b for b in self.data["rooms"] if b.get("path")]
        if not rooms:
            return
        t, horizon = self.t, self.data["workshop"].get("horizon")
        title = t["paths"] + (f" ({horizon})" if horizon else "")
        self.add(PageBreak(), Paragraph(escape(title), self.s["h1"]))
        for board in rooms:
            self.add(Paragraph(escape(board["name"]), self.s["h2"]))
            for n, step in enumerate(board["path"], start=1):
                when = f"<b>{escape(step['when'])}:</b> " if step.get("when") else ""
                self.add(
                    Paragraph(
                        when + escape(step["text"] or t["hidden"]),
                        self.s["item"],
                        bulletText=f"{n}.",
                    )
                )
            if horizon:
                self.add(
                    Paragraph(
                        f"<b>{escape(t['horizon'])}: {escape(horizon)}</b>",
                        self.s["item"],
                        bulletText="★",
                    )
                )

    def boards(self) -> None:
        t = self.t
        self.add(PageBreak(), Paragraph(escape(t["boards"]), self.s["h1"]))
        for board in self.data["rooms"]:
            self.add(
                Paragraph(
                    escape(f"{board['name']} ({board_counts(board, t)})"),
                    self.s["h2"],
                )
            )
            groups: list[tuple[str, list[dict[str, Any]]]] = []
            if board["method"] == "backcast":
                for lane in board["lanes"]:
                    groups.append(
                        (t.get(lane, lane), [n for n in board["notes"] if n["lane"] == lane])
                    )
            else:
                for cluster in board["clusters"]:
                    members = [n for n in board["notes"] if n["cluster_id"] == cluster["id"]]
                    groups.append((f"{t['cluster']}: {cluster['title']}", members))
                loose = [n for n in board["notes"] if not n["cluster_id"]]
                groups.append(
                    (t["unclustered"] if board["clusters"] else t.get(board["lanes"][0], ""), loose)
                )
            for title, notes in groups:
                if not notes:
                    continue
                self.add(_p(title, self.s["cellb"]))
                self.bullets([n["text"] if n["text"] is not None else t["hidden"] for n in notes])


def _chart(rated: list[tuple[int, dict[str, Any]]], t: dict[str, str]) -> Any | None:
    """Impact up, uncertainty across; a numbered dot per rated item (its number in the tables)."""
    if not rated:
        return None
    size, margin, r = 120 * mm, 14 * mm, 3.2 * mm
    inner = size - margin - 4 * mm
    drawing = Drawing(size, size)
    left, bottom = margin, margin
    drawing.add(Rect(left, bottom, inner, inner, strokeColor=MUTED, fillColor=None))
    mid_x, mid_y = left + inner / 2, bottom + inner / 2
    for line in (
        Line(mid_x, bottom, mid_x, bottom + inner),
        Line(left, mid_y, left + inner, mid_y),
    ):
        line.strokeColor, line.strokeDashArray = MUTED, [3, 3]
        drawing.add(line)
    drawing.add(
        String(
            mid_x,
            3 * mm,
            f"{t['uncertainty']} (1–5)",
            fontName="Vera",
            fontSize=9,
            textAnchor="middle",
        )
    )
    label = String(0, 0, f"{t['impact']} (1–5)", fontName="Vera", fontSize=9, textAnchor="middle")
    rotated = Group(label)
    rotated.rotate(90)
    rotated.translate(mid_y, -5 * mm)
    drawing.add(rotated)
    # The scale: 1, 3 and 5 where a dot of that mean would sit.
    for value in (1, 3, 5):
        at = r + (value - 1) / 4 * (inner - 2 * r)
        for x, y, anchor in (
            (left + at, bottom - 4 * mm, "middle"),
            (left - 2 * mm, bottom + at - 1, "end"),
        ):
            drawing.add(
                String(
                    x,
                    y,
                    str(value),
                    fontName="Vera",
                    fontSize=8,
                    fillColor=MUTED,
                    textAnchor=anchor,
                )
            )
    placed: list[tuple[float, float]] = []
    for rank, item in rated:
        x = left + r + (item["uncertainty"]["mean"] - 1) / 4 * (inner - 2 * r)
        y = bottom + r + (item["impact"]["mean"] - 1) / 4 * (inner - 2 * r)
        step = 1
        while any(math.hypot(x - px, y - py) < 2 * r + 0.5 for px, py in placed) and step < 40:
            angle, radius = step * 2.4, r * (1 + step * 0.35) * 0.5
            x = min(left + inner - r, max(left + r, x + math.cos(angle) * radius))
            y = min(bottom + inner - r, max(bottom + r, y + math.sin(angle) * radius))
            step += 1
        placed.append((x, y))
        drawing.add(Circle(x, y, r, fillColor=ACCENT, strokeColor=colors.white, strokeWidth=1))
        drawing.add(
            String(
                x,
                y - 2.6,
                str(rank),
                fontName="Vera-Bold",
                fontSize=7.5,
                fillColor=colors.white,
                textAnchor="middle",
            )
        )
    return drawing


def pdf_bytes(data: dict[str, Any]) -> bytes:
    """The whole report as a PDF document."""
    _register_fonts()
    glyphs = pdfmetrics.getFont("Vera").face.charToGlyph
    data = printable_data(data, glyphs.__contains__)
    report = _Report(data)
    report.header()
    report.previous()
    report.synthesis()
    report.polls()
    report.scenarios()
    report.paths()
    report.boards()
    title = data["workshop"]["title"]
    page_word = report.t["page"]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Vera", 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 10 * mm, title[:90])
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{page_word} {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Plenary",
        lang=data["workshop"]["language"],
    )
    doc.build(report.story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
