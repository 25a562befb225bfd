"""Pure text validation shared by every domain: trimmed, bounded, no control characters."""

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
