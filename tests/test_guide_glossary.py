"""The guide's Dutch-English table of buttons says what the pages really show."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_button_in_the_guides_table_is_on_the_pages_in_both_languages() -> None:
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    table = guide.split("| Dutch | English |", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) >= 8
    texts = (ROOT / "static" / "js" / "i18n.js").read_text(encoding="utf-8")
    english_at = texts.index("\n  en: {")
    dutch, english = texts[:english_at], texts[english_at:]
    for row in rows:
        nl_cell, en_cell = (cell.strip() for cell in row.strip("|").split("|"))
        for words, where in ((nl_cell, dutch), (en_cell, english)):
            for term in words.split(" · "):
                assert re.search(rf'"{re.escape(term)}"', where), term
