"""Quadrant stories: written together, anonymous, and concurrent edits never lose words.

Each field remembers the version that last changed it. An edit that names the
`version` it started from is checked field by field: a title, metaphor or list
of traits someone else changed meanwhile is a `conflict` (carrying the current
story); the text is merged instead (`text_merge.merge3`, against the text as it
was at that version), and only edits of the same words (or of one phrase: words with
only spaces between them) are a conflict. Without
a `version` the last write wins, field by field.
"""

import json
from typing import Any

from sqlmodel import col, select

from app.boards import rules
from app.boards.board import Board, story_dict
from app.boards.models import Story, StoryRevision
from app.boards.text_merge import merge3
from app.clock import utcnow
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.textrules import clean_text

MAX_TRAITS = 8


def _traits(values: list[str]) -> str:
    if len(values) > MAX_TRAITS:
        raise PlenaryError("invalid", f"A scenario has at most {MAX_TRAITS} characteristics.")
    cleaned = [clean_text(v, field="traits", max_len=80) for v in values]
    return json.dumps(cleaned, ensure_ascii=False)


def _text_at(board: Board, story: Story, version: int) -> str:
    """The story's text as it was at `version` (every change of it is kept as a revision)."""
    revision = board.session.exec(
        select(StoryRevision)
        .where(
            StoryRevision.room_id == board.room.id,
            StoryRevision.quadrant == story.quadrant,
            col(StoryRevision.version) <= version,
        )
        .order_by(col(StoryRevision.version).desc())
        .limit(1)
    ).first()
    return revision.text if revision is not None else ""  # not written yet at that version


def _conflict(story: Story, what: str) -> PlenaryError:
    return PlenaryError("conflict", f"Someone changed the {what} first.", story=story_dict(story))


def edit_story(
    board: Board, *, quadrant: str, changes: dict[str, Any], version: int | None
) -> list[NewEvent]:
    """Write story fields; concurrent text is merged, other stale fields refused."""
    board.require("story.edit")
    if quadrant not in rules.QUADRANTS:
        raise PlenaryError("invalid", f"quadrant must be one of {', '.join(rules.QUADRANTS)}.")
    if not changes:
        raise PlenaryError("invalid", "Say what to change: title, metaphor, text or traits.")
    session = board.session
    story = session.get(Story, (board.room.id, quadrant)) or Story(
        room_id=board.room.id, quadrant=quadrant
    )
    values: dict[str, str] = {}
    for field, value in changes.items():
        if field == "traits":
            values[field] = _traits(value)
        else:
            limit = rules.STORY_LIMITS[field]
            values[field] = clean_text(value, field=field, max_len=limit, min_len=0)
    if version is not None:
        if version > story.version:
            raise _conflict(story, "story")
        for field in [f for f in values if getattr(story, f"{f}_v") > version]:
            current = getattr(story, field)
            if field != "text":
                if values[field] != current:
                    raise _conflict(story, field)
                continue
            base = _text_at(board, story, version)
            merged = merge3(base, values["text"], current)
            if merged is None:
                raise _conflict(story, "same words")
            limit = rules.STORY_LIMITS["text"]
            values["text"] = clean_text(merged, field="text", max_len=limit, min_len=0)
    story.version += 1
    for field, value in values.items():
        setattr(story, field, value)
        setattr(story, f"{field}_v", story.version)
    story.updated_at = utcnow()
    session.add(story)
    if "text" in values:
        _remember_text(board, story)
    return [NewEvent(board.room.id, "story.edited", {"story": story_dict(story)}, anonymous=True)]


def _remember_text(board: Board, story: Story) -> None:
    # Kept for as long as the workshop: a late edit's base, whatever its age.
    board.session.add(
        StoryRevision(
            room_id=story.room_id, quadrant=story.quadrant, version=story.version, text=story.text
        )
    )
