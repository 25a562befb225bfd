"""The server's chart: a label beside its dot, or tied to it by a leader line."""

import re

from app.boards.matrix import layout, matrix_svg
from tests.e2e.test_matrix_svg import items


def test_labels_off_their_dots_line_get_a_leader_line() -> None:
    """Third trial: "AI-assistent voor notulen" floated between three dots."""
    chart = items(30, 2)
    _plot, _radius, dots = layout(chart)
    labelled = [d for d in dots if d.box is not None]
    beside = [d for d in labelled if not d.leader]
    led = [d for d in labelled if d.leader]
    assert beside and led  # a crowded chart needs both
    for dot in beside:  # on the dot's own line, left or right of it
        assert dot.box is not None
        assert abs(dot.box.y + dot.box.h / 2 - dot.cy) < 0.01
    svg = matrix_svg(chart, "nl")
    ends = [
        (float(x), float(y))
        for x, y in re.findall(r'<line [^>]*x2="([\d.]+)" y2="([\d.]+)"[^>]*class="leader"', svg)
    ]
    assert len(ends) == len(led)
    for dot in led:
        box = dot.box
        assert box is not None
        assert any(
            box.x - 0.1 <= x <= box.x + box.w + 0.1 and box.y - 0.1 <= y <= box.y + box.h + 0.1
            for x, y in ends
        ), dot.title
