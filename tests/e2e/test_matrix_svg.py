"""The server's matrix.svg in Chromium: no label overlaps another or a dot, or leaves the chart."""

import random
from typing import Any

from playwright.async_api import Browser

from app.boards.matrix import matrix_svg
from tests.e2e.helpers import person

TITLES = [
    "Thuiswerken blijft",
    "Managementassistent wordt strategisch partner van de directie",
    "Meer aandacht voor welzijn en werkdruk van medewerkers",
    "AI schrijft de notulen en plant de agenda",
    "Krapte op de arbeidsmarkt",
    "Vergrijzing: collega's gaan met pensioen",
    "Hybride vergaderen wordt de norm",
    "Minder reizen, meer videobellen",
    "Privacy en datawetgeving worden strenger",
    "Internationale teams over tijdzones heen",
]


def items(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    found = []
    for n in range(count):
        title = TITLES[n % len(TITLES)] + ("" if n < len(TITLES) else f" ({n})")
        # Many share a spot: rounded means, as small groups vote.
        impact, uncertainty = rng.choice([3.0, 3.5, 4.0, 4.5, 5.0]), rng.choice([2.5, 3.0, 3.5])
        found.append(
            {"title": title, "impact": {"mean": impact}, "uncertainty": {"mean": uncertainty}}
        )
    return found


BOXES = """() => {
  const box = (el) => {
    const b = el.getBoundingClientRect();
    return [b.x, b.y, b.width, b.height];
  };
  const svg = document.querySelector("svg");
  const plot = svg.querySelectorAll("rect")[1];
  return {
    svg: box(svg), plot: box(plot),
    labels: [...svg.querySelectorAll("text.label")].map(box),
    dots: [...svg.querySelectorAll("circle")].map(box),
    legend: [...svg.querySelectorAll("text.legend")].map(box),
    legendTexts: [...svg.querySelectorAll("text.legend")].map((t) => t.textContent),
  };
}"""


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def inside(a: list[float], outer: list[float]) -> bool:
    return (
        a[0] >= outer[0] - 0.5
        and a[1] >= outer[1] - 0.5
        and a[0] + a[2] <= outer[0] + outer[2] + 0.5
        and a[1] + a[3] <= outer[1] + outer[3] + 0.5
    )


async def test_matrix_svg_labels_never_overlap_or_leave_the_chart(browser: Browser) -> None:
    _context, page = await person(browser, {"width": 1100, "height": 900})
    for count, seed in ((8, 1), (30, 2), (45, 3)):
        chart = items(count, seed)
        await page.set_content(
            f"<html><body style='margin:0'>{matrix_svg(chart, 'nl')}</body></html>"
        )
        found = await page.evaluate(BOXES)
        labels, dots = found["labels"], found["dots"]
        assert len(dots) == count and labels
        for i, label in enumerate(labels):
            assert inside(label, found["plot"]), (count, label)
            assert not any(overlap(label, other) for other in labels[i + 1 :])
            assert not any(overlap(label, dot) for dot in dots)
        for line in found["legend"]:
            assert inside(line, found["svg"])  # the legend is never cut off
        # Every title not written whole beside its dot is in the legend, with its number.
        legend = " ".join(found["legendTexts"])
        shown = set(
            await page.eval_on_selector_all("text.label", "els => els.map(e => e.textContent)")
        )
        for rank, item in enumerate(chart, start=1):
            if item["title"] not in shown:
                assert f"{rank}." in legend
