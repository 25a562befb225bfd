"""Pure text rules shared by every domain: clean input, and a note read as a title."""

import re

from app.errors import PlenaryError

# C0 controls other than tab and newline, DEL, and lone surrogates (not storable as UTF-8).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def clean_text(value: str, *, field: str, max_len: int, min_len: int = 1) -> str:
    """The trimmed text, or PlenaryError('invalid') saying what is wrong with it."""
    text = value.strip()
    if _FORBIDDEN.search(text):
        raise PlenaryError("invalid", f"{field} contains control characters.")
    if len(text) < min_len:
        raise PlenaryError("invalid", f"{field} must not be empty.")
    if len(text) > max_len:
        raise PlenaryError(
            "invalid", f"{field} is {len(text)} characters long; the most is {max_len}."
        )
    return text


_RUNS = re.compile(r"([!?])\1+")
_TRAILING = re.compile(r"[\s.,;:…-]+$")


def as_title(text: str) -> str:
    """A note's words as an item's title: one line, a capital first, no trailing full stop.

    People type notes fast ("thuiswerken blijft.", "meer AI!!!"); on the projection and
    in the report the same words read as a heading. A question mark or exclamation mark
    stays (once): it is part of what was said.
    """
    line = " ".join(text.split())
    line = _TRAILING.sub("", _RUNS.sub(r"\1", line)) or line
    first_word = line.split(" ", 1)[0]
    if line[:1].islower() and not any(c.isupper() for c in first_word):  # not "iPad"
        return line[:1].upper() + line[1:]
    return line
