"""The impact-by-uncertainty chart of the synthesis as an SVG image, for reports and downloads.

Labels are placed as on the projection (static/js/matrix.js): dots first, each an
obstacle (dots on the same spot nudged apart on a spiral); then each label, in rank
order, in the first of twelve slots around its dot whose box stays inside the plot
and overlaps no dot or earlier label, whole or shortened (28, 20, 14 characters).
A title that fits nowhere keeps only its number; it and every shortened title are
in the numbered legend beside the chart. Text widths are estimated from the
letters (the server has no fonts to measure), on the wide side.
"""

import math
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 1000, 640
CHART = 640  # the chart is square at the left; the legend fills the rest
FONT = 14
LEGEND_FONT = 13
LABELS = {
    "nl": ("Impact", "Onzekerheid", "Impact × onzekerheid"),
    "en": ("Impact", "Uncertainty", "Impact × uncertainty"),
}
NARROW = set("ijlI.,;:'!|()[]{} ")
WIDE = set("mwMW@%")


@dataclass(frozen=True)
class Box:
    """A rectangle: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Box", pad: float = 2.0) -> bool:
        """Whether two boxes come within `pad` of each other."""
        return (
            self.x < other.x + other.w + pad
            and other.x < self.x + self.w + pad
            and self.y < other.y + other.h + pad
            and other.y < self.y + self.h + pad
        )

    def within(self, outer: "Box") -> bool:
        """Whether this box lies wholly inside `outer`."""
        return (
            self.x >= outer.x
            and self.y >= outer.y
            and self.x + self.w <= outer.x + outer.w
            and self.y + self.h <= outer.y + outer.h
        )


def text_width(text: str, size: float) -> float:
    """A generous estimate of a sans-serif text's width."""
    units = 0.0
    for char in text:
        if char in NARROW:
            units += 0.34
        elif char in WIDE:
            units += 0.95
        elif char.isupper() or char.isdigit():
            units += 0.7
        else:
            units += 0.6
    return units * size


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Placed:
    """A dot and, where one fits, its label."""

    number: int
    title: str
    cx: float
    cy: float
    label: str | None = None
    box: Box | None = None
    leader: bool = False  # the label sits above, below or aside: a line ties it to its dot


def layout(items: list[dict[str, Any]]) -> tuple[Box, float, list[Placed]]:
    """The plot area, the dot radius, and every rated item's dot and label."""
    margin = round(FONT * 3.2)
    plot = Box(margin, FONT, CHART - margin - FONT, CHART - margin - FONT)
    radius = round(FONT * 0.95)
    inner = Box(plot.x + radius, plot.y + radius, plot.w - 2 * radius, plot.h - 2 * radius)
    dots: list[Placed] = []
    for rank, item in enumerate(items, start=1):
        impact, uncertainty = item["impact"]["mean"], item["uncertainty"]["mean"]
        if impact is None or uncertainty is None:
            continue
        cx = inner.x + (float(uncertainty) - 1) / 4 * inner.w
        cy = inner.y + inner.h - (float(impact) - 1) / 4 * inner.h
        step = 1
        while step < 40 and any(math.hypot(d.cx - cx, d.cy - cy) < 2 * radius + 2 for d in dots):
            angle, reach = step * 2.4, radius * (1 + step * 0.35)
            cx = min(inner.x + inner.w, max(inner.x, cx + math.cos(angle) * reach * 0.5))
            cy = min(inner.y + inner.h, max(inner.y, cy + math.sin(angle) * reach * 0.5))
            step += 1
        dots.append(Placed(rank, str(item["title"]), cx, cy))
    taken = [Box(d.cx - radius, d.cy - radius, 2 * radius, 2 * radius) for d in dots]
    line, gap = FONT * 1.3, round(FONT * 0.35)
    for dot in dots:
        for limit in (None, 28, 20, 14):
            if limit is not None and len(dot.title) <= limit:
                continue
            text = dot.title if limit is None else shorten(dot.title, limit)
            width = text_width(text, FONT) + 2
            found = _first_free(dot, width, line, radius, gap, plot, taken)
            if found is not None:
                spot, slot = found
                dot.label, dot.box, dot.leader = text, spot, slot >= 2
                taken.append(spot)
                break
    return plot, radius, dots


def _first_free(
    dot: Placed, w: float, h: float, r: float, gap: float, plot: Box, taken: list[Box]
) -> tuple[Box, int] | None:
    # The first free slot and its number: 0 and 1 sit beside the dot, the rest need a leader.
    cx, cy = dot.cx, dot.cy
    slots = [
        (cx + r + gap, cy - h / 2),
        (cx - r - gap - w, cy - h / 2),
        (cx - w / 2, cy - r - gap - h),
        (cx - w / 2, cy + r + gap),
        (cx + r * 0.7, cy - r - h),
        (cx + r * 0.7, cy + r),
        (cx - r * 0.7 - w, cy - r - h),
        (cx - r * 0.7 - w, cy + r),
        (cx + r + gap, cy - h * 1.5),
        (cx + r + gap, cy + h * 0.5),
        (cx - r - gap - w, cy - h * 1.5),
        (cx - r - gap - w, cy + h * 0.5),
    ]
    for slot, (x, y) in enumerate(slots):
        box = Box(x, y, w, h)
        if box.within(plot) and not any(box.overlaps(other) for other in taken):
            return box, slot
    return None


def _legend_lines(number: int, title: str, width: float) -> list[str]:
    # Wrapped on words to the legend's width; the number leads the first line.
    words, lines, current = title.split(), [], f"{number}."
    for word in words:
        candidate = f"{current} {word}"
        if text_width(candidate, LEGEND_FONT) > width and current != f"{number}.":
            lines.append(current)
            current = f"   {word}"
        else:
            current = candidate
    lines.append(current)
    return lines


def matrix_svg(items: list[dict[str, Any]], language: str = "en") -> str:
    """Every rated item as a numbered dot (its rank) with its title beside it or in the legend."""
    impact_label, uncertainty_label, title = LABELS.get(language, LABELS["en"])
    plot, radius, dots = layout(items)
    mid_x, mid_y = plot.x + plot.w / 2, plot.y + plot.h / 2
    legend, legend_bottom = _legend([d for d in dots if d.label != d.title])
    height = max(HEIGHT, math.ceil(legend_bottom + 8))  # the legend is never cut
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}" '
        'font-family="DejaVu Sans, system-ui, sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<rect x="{plot.x}" y="{plot.y}" width="{plot.w}" height="{plot.h}" fill="none" '
        'stroke="#4b5563"/>',
        f'<line x1="{mid_x}" y1="{plot.y}" x2="{mid_x}" y2="{plot.y + plot.h}" stroke="#4b5563" '
        'stroke-width="2" stroke-dasharray="6 6"/>',
        f'<line x1="{plot.x}" y1="{mid_y}" x2="{plot.x + plot.w}" y2="{mid_y}" stroke="#4b5563" '
        'stroke-width="2" stroke-dasharray="6 6"/>',
        f'<text x="{mid_x}" y="{HEIGHT - 12}" text-anchor="middle" font-size="16" '
        f'fill="#111">{escape(uncertainty_label)} →</text>',
        f'<text x="20" y="{mid_y}" text-anchor="middle" font-size="16" fill="#111" '
        f'transform="rotate(-90 20 {mid_y})">{escape(impact_label)} →</text>',
    ]
    for value, share in ((1, 0.0), (3, 0.5), (5, 1.0)):
        x, y = plot.x + share * plot.w, plot.y + plot.h - share * plot.h
        parts.append(
            f'<text x="{x:.1f}" y="{plot.y + plot.h + 16}" text-anchor="middle" font-size="12" '
            f'fill="#4b5563">{value}</text>'
        )
        parts.append(
            f'<text x="{plot.x - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#4b5563">{value}</text>'
        )
    for dot in dots:
        parts.append(
            f'<circle cx="{dot.cx:.1f}" cy="{dot.cy:.1f}" r="{radius}" fill="#1d4ed8" '
            'stroke="#ffffff" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{dot.cx:.1f}" y="{dot.cy + FONT * 0.33:.1f}" text-anchor="middle" '
            f'font-size="{FONT * 0.85:.1f}" fill="#ffffff" font-weight="bold" class="num">'
            f"{dot.number}</text>"
        )
    for dot in dots:
        if dot.box is not None and dot.leader:
            parts.append(_leader(dot, dot.box, radius))
    for dot in dots:
        if dot.box is not None and dot.label is not None:
            box = dot.box
            parts.append(
                f'<text x="{box.x + 1:.1f}" y="{box.y + FONT * 0.98:.1f}" font-size="{FONT}" '
                f'fill="#111" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" '
                f'paint-order="stroke" class="label" data-box="{box.x:.1f},{box.y:.1f},{box.w:.1f},'
                f'{box.h:.1f}">{escape(dot.label)}</text>'
            )
    parts += legend
    parts.append("</svg>")
    return "\n".join(parts)


def _leader(dot: Placed, box: Box, radius: float) -> str:
    """A thin line from the dot's edge to the nearest point of its label's box."""
    px = min(box.x + box.w, max(box.x, dot.cx))
    py = min(box.y + box.h, max(box.y, dot.cy))
    dist = math.hypot(px - dot.cx, py - dot.cy) or 1.0
    x1, y1 = dot.cx + (px - dot.cx) / dist * radius, dot.cy + (py - dot.cy) / dist * radius
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{px:.1f}" y2="{py:.1f}" stroke="#111" '
        'stroke-width="1.5" class="leader"/>'
    )


def _legend(dots: list[Placed]) -> tuple[list[str], float]:
    # Every title not shown whole on the chart, numbered, wrapped to the column.
    left, width, line = CHART + 20, WIDTH - CHART - 36, LEGEND_FONT * 1.35
    y, out = float(FONT + LEGEND_FONT), []
    for dot in dots:
        for text in _legend_lines(dot.number, dot.title, width):
            out.append(
                f'<text x="{left}" y="{y:.1f}" font-size="{LEGEND_FONT}" fill="#111" '
                f'class="legend">{escape(text)}</text>'
            )
            y += line
        y += 4
    return out, y
