"""People's words in the PDF: what the embedded font cannot draw is left out, not boxed."""

from collections.abc import Callable

import pytest
from reportlab.pdfbase import pdfmetrics

from app.boards.export_pdf import _register_fonts, _Report
from app.boards.pdf_text import ONLY_SYMBOLS, printable, printable_data

Glyphs = Callable[[int], bool]


@pytest.fixture(scope="module")
def has_glyph() -> Glyphs:
    _register_fonts()
    glyphs: dict[int, int] = pdfmetrics.getFont("Vera").face.charToGlyph
    return glyphs.__contains__


def test_emoji_and_their_joiners_are_left_out(has_glyph: Glyphs) -> None:
    assert printable("Thuiswerken blijft 👍🏽 echt", has_glyph) == "Thuiswerken blijft echt"
    assert printable("Samen ❤️ sterk 👩‍💻", has_glyph) == "Samen sterk"


def test_dutch_and_european_letters_stay(has_glyph: Glyphs) -> None:
    text = "Coördinatie – één blik… € 5, Łukasz, Şule, ‘zo’"
    assert printable(text, has_glyph) == text


def test_a_letter_the_font_lacks_keeps_its_base(has_glyph: Glyphs) -> None:
    # Vietnamese ự is not in Vera; without its marks it is a u.
    assert printable("Nguyễn Thự", has_glyph) == "Nguyen Thu"


def test_a_text_of_only_emoji_says_so(has_glyph: Glyphs) -> None:
    assert printable("👍👍", has_glyph) == ONLY_SYMBOLS


def test_line_breaks_survive_and_data_is_walked(has_glyph: Glyphs) -> None:
    data = {"rooms": [{"name": "Groep 🚀 1", "notes": ("regel 1\nregel 2 ✅",)}], "n": 3}
    assert printable_data(data, has_glyph) == {
        "rooms": [{"name": "Groep 1", "notes": ("regel 1\nregel 2",)}],
        "n": 3,
    }


def test_a_long_pole_in_a_side_column_gets_smaller_type_not_a_broken_word() -> None:
    """Tenth trial: "Location-indepe / ndent" beside the cross in the PDF."""
    _register_fonts()
    report = _Report({"workshop": {"language": "en"}})
    axes = {
        "x": {"title": "Work", "low": "Location-independent", "high": "Office-bound"},
        "y": {"title": "Tools", "low": "manual", "high": "automated"},
    }
    outer = report.cross(axes, {})
    side = outer._cellvalues[1][0]  # the x axis's low pole, in its 30 mm column
    font, size = side.style.fontName, side.style.fontSize
    widest = max(pdfmetrics.stringWidth(w, font, size) for w in side.text.split())
    assert size < 9 and widest <= 30 * 72 / 25.4 - 12
    top = outer._cellvalues[0][1]  # a pole above the cross has room: the usual size
    assert top.style.fontSize == 9
