"""Quadrant stories, merged per field so concurrent writers lose no text."""

from app.boards import rules
from app.boards.board import Board, story_dict
from app.boards.models import Story
from app.clock import utcnow
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.textrules import clean_text


def edit_story(
    board: Board, *, quadrant: str, changes: dict[str, str], version: int | None
) -> list[NewEvent]:
    """Write story fields; refused only if a field you change changed since `version`."""
    board.require("story.edit")
    if quadrant not in rules.QUADRANTS:
        raise PlenaryError("invalid", f"quadrant must be one of {', '.join(rules.QUADRANTS)}.")
    if not changes:
        raise PlenaryError("invalid", "Say what to change: title, metaphor or text.")
    story = board.session.get(Story, (board.room.id, quadrant)) or Story(
        room_id=board.room.id, quadrant=quadrant
    )
    if version is not None:
        stale = [f for f in changes if getattr(story, f"{f}_v") > version]
        if stale:
            raise PlenaryError(
                "conflict", f"Someone changed the {stale[0]} first.", story=story_dict(story)
            )
    story.version += 1
    for field, value in changes.items():
        setattr(
            story,
            field,
            clean_text(value, field=field, max_len=rules.STORY_LIMITS[field], min_len=0),
        )
        setattr(story, f"{field}_v", story.version)
    story.updated_at = utcnow()
    board.session.add(story)
    return [NewEvent(board.room.id, "story.edited", {"story": story_dict(story)}, anonymous=True)]
