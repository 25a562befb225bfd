"""People's words made printable in the report's font: what it has no glyph for is left out.

A PDF draws a character the embedded font lacks as an empty box; a report full
of boxes where people typed emoji (a phone's keyboard offers them first) reads as
broken. A letter the font lacks is first tried without its accent (NFKD), so a
name keeps its letters; anything else (emoji, their joiners and variation
selectors, symbols) is dropped, and a text that was only such characters says so.
"""

import re
import unicodedata
from collections.abc import Callable
from typing import Any

ONLY_SYMBOLS = "[emoji]"
_SPACES = re.compile(r"[ \t]{2,}")


def printable(text: str, has_glyph: Callable[[int], bool]) -> str:
    """`text` with every character the font cannot draw replaced or left out."""
    if all(has_glyph(ord(c)) or c in "\n\t" for c in text):
        return text
    kept: list[str] = []
    for char in text:
        if char in "\n\t" or has_glyph(ord(char)):
            kept.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char)
        kept.extend(c for c in plain if has_glyph(ord(c)) and not unicodedata.combining(c))
    result = _SPACES.sub(" ", "".join(kept)).strip(" ")
    return result if result.strip() else ONLY_SYMBOLS


def printable_data(value: Any, has_glyph: Callable[[int], bool]) -> Any:
    """A copy of the report's data with every string made printable."""
    if isinstance(value, str):
        return printable(value, has_glyph)
    if isinstance(value, dict):
        return {key: printable_data(item, has_glyph) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(printable_data(item, has_glyph) for item in value)
    return value
