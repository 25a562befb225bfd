"""The axis cross of the synthesis as an SVG image: impact up, uncertainty across."""

from typing import Any
from xml.sax.saxutils import escape

SIZE = 640
MARGIN = 70
LABELS = {
    "nl": ("Impact", "Onzekerheid", "Assenkruis"),
    "en": ("Impact", "Uncertainty", "Axis cross"),
}


def _pos(value: float) -> float:
    return MARGIN + (value - 1) / 4 * (SIZE - 2 * MARGIN)


def matrix_svg(items: list[dict[str, Any]], language: str = "en") -> str:
    """Every rated item as a numbered dot (its rank), with its title beside it."""
    impact_label, uncertainty_label, title = LABELS.get(language, LABELS["en"])
    inner = SIZE - 2 * MARGIN
    mid = SIZE / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}" role="img" aria-label="{title}" '
        'font-family="system-ui, sans-serif">',
        f"<title>{title}</title>",
        f'<rect x="0" y="0" width="{SIZE}" height="{SIZE}" fill="#ffffff"/>',
        f'<rect x="{MARGIN}" y="{MARGIN}" width="{inner}" height="{inner}" fill="none" '
        'stroke="#888"/>',
        f'<line x1="{mid}" y1="{MARGIN}" x2="{mid}" y2="{SIZE - MARGIN}" stroke="#444" '
        'stroke-width="2"/>',
        f'<line x1="{MARGIN}" y1="{mid}" x2="{SIZE - MARGIN}" y2="{mid}" stroke="#444" '
        'stroke-width="2"/>',
        f'<text x="{mid}" y="{SIZE - 20}" text-anchor="middle" font-size="18">'
        f"{uncertainty_label} →</text>",
        f'<text x="24" y="{mid}" text-anchor="middle" font-size="18" '
        f'transform="rotate(-90 24 {mid})">{impact_label} →</text>',
    ]
    for rank, item in enumerate(items, start=1):
        impact, uncertainty = item["impact"]["mean"], item["uncertainty"]["mean"]
        if impact is None or uncertainty is None:
            continue
        x, y = _pos(float(uncertainty)), SIZE - _pos(float(impact))
        label = item["title"] if len(item["title"]) <= 40 else item["title"][:39] + "…"
        anchor, dx = ("end", -16) if x > mid + inner / 4 else ("start", 16)
        parts += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="13" fill="#1d4ed8"/>',
            f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" font-size="13" '
            f'fill="#fff" font-weight="bold">{rank}</text>',
            f'<text x="{x + dx:.1f}" y="{y + 5:.1f}" text-anchor="{anchor}" '
            f'font-size="14" fill="#111">{escape(label)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)
