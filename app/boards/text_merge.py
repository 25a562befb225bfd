"""Pure three-way merge of a story's text: two people's edits of one base, both kept.

Why not a CRDT: clients on the wire send whole texts (PROTOCOL.md's
`story.edit` has a `text` field, not operations), so the server knows what each
writer started from (the story's `version`) and what they ended with. A diff of
each against that base is exactly the information a text CRDT would carry,
without making every client speak Yjs. Edits to different parts merge; edits to
the same words, or to words with only spaces between them (one phrase), or two
insertions at one spot (whose order nobody chose) are a conflict the page shows, so no
one's words are ever lost or written twice, and no sentence is made that nobody wrote.

Texts are compared as words, spaces and punctuation, so a merge never cuts a
word in half.
"""

import re
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")

Hunk = tuple[int, int, list[str]]  # base tokens [start, end) replaced by these


def tokens(text: str) -> list[str]:
    """A text as words, runs of whitespace and single punctuation marks (joins back exactly)."""
    return _TOKENS.findall(text)


def _hunks(base: list[str], edited: list[str]) -> list[Hunk]:
    matcher = SequenceMatcher(None, base, edited, autojunk=False)
    return [
        (i1, i2, edited[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    ]


def _overlap(a: Hunk, b: Hunk) -> bool:
    # Two replacements of overlapping base spans, or two insertions at one point.
    a_start, a_end, _ = a
    b_start, b_end, _ = b
    if a_start == a_end and b_start == b_end:
        return a_start == b_start
    if a_start == a_end:
        return b_start < a_start < b_end
    if b_start == b_end:
        return a_start < b_start < a_end
    return a_start < b_end and b_start < a_end


def _touch(a: Hunk, b: Hunk, base: list[str]) -> bool:
    # Two edits with no word or mark of the base between them change one phrase: "night
    # rounds" made "night shifts" by one writer and "medication rounds" by the other would
    # merge into "medication shifts", which neither wrote (twelfth trial). Like diff3's
    # adjacent changes, that is a conflict.
    first, second = sorted((a, b), key=lambda h: (h[0], h[1]))
    return all(token.isspace() for token in base[first[1] : second[0]])


def _spaced(first: list[str], second: list[str]) -> bool:
    return bool(first and first[-1].isspace()) or bool(second and second[0].isspace())


def merge3(base: str, mine: str, theirs: str) -> str | None:
    """`mine` and `theirs` both applied to `base`, or None when they touch the same words."""
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs
    base_tokens = tokens(base)
    my_hunks = _hunks(base_tokens, tokens(mine))
    their_hunks = _hunks(base_tokens, tokens(theirs))
    end = len(base_tokens)
    merged: list[Hunk] = []
    their_hunks = list(their_hunks)
    for mine_hunk in my_hunks:
        same = [h for h in their_hunks if h[:2] == mine_hunk[:2] and h[2] == mine_hunk[2]]
        if same:
            continue  # both made this very change: once
        appended = [h for h in their_hunks if h[0] == h[1] == end == mine_hunk[0] == mine_hunk[1]]
        if appended:
            # Both wrote on at the end: theirs (stored first), then mine, a line apart.
            their_hunks.remove(appended[0])
            theirs_words, my_words = appended[0][2], mine_hunk[2]
            gap = [] if _spaced(theirs_words, my_words) else ["\n"]
            merged.append((end, end, [*theirs_words, *gap, *my_words]))
            continue
        if any(
            _overlap(mine_hunk, theirs_hunk) or _touch(mine_hunk, theirs_hunk, base_tokens)
            for theirs_hunk in their_hunks
        ):
            return None
        merged.append(mine_hunk)
    merged += their_hunks
    # Apply from the end so earlier positions stay valid; at one position an
    # insertion goes before a replacement starting there.
    merged.sort(key=lambda h: (h[0], h[1] != h[0]), reverse=True)
    out = list(base_tokens)
    for start, end, replacement in merged:
        out[start:end] = replacement
    return "".join(out)
