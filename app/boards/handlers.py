"""Board ops on the WebSocket: strict data models per op, routed to the services."""

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError
from sqlmodel import Session

from app.boards import clusters, notes, polls, stories, votes
from app.boards.board import Board
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.realtime.gateway import CommandRegistry, Identity

Position = float | None
Score = StrictInt


class Data(BaseModel):
    """Command data: unknown fields and loose types are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class NoteAdd(Data):
    text: StrictStr
    lane: StrictStr | None = None
    color: StrictStr | None = None
    x: Position = Field(default=None, ge=0, le=1)
    y: Position = Field(default=None, ge=0, le=1)
    when: StrictStr | None = None


class NoteEdit(Data):
    id: StrictStr
    text: StrictStr | None = None
    lane: StrictStr | None = None
    color: StrictStr | None = None
    x: Position = Field(default=None, ge=0, le=1)
    y: Position = Field(default=None, ge=0, le=1)
    cluster_id: StrictStr | None = None
    when: StrictStr | None = None
    version: StrictInt | None = None


class ById(Data):
    id: StrictStr


class ClusterCreate(Data):
    title: StrictStr
    note_ids: list[StrictStr] = Field(default_factory=list)


class ClusterUpdate(Data):
    id: StrictStr
    title: StrictStr | None = None
    note_ids: list[StrictStr] | None = None


class VoteCast(Data):
    target: StrictStr
    impact: Score = Field(ge=1, le=5)
    uncertainty: Score = Field(ge=1, le=5)


class VoteClear(Data):
    target: StrictStr


class AxisIn(Data):
    target: StrictStr
    low: StrictStr | None = None
    high: StrictStr | None = None


class AxesSet(Data):
    x: StrictStr | AxisIn | None
    y: StrictStr | AxisIn | None


class StoryEdit(Data):
    quadrant: StrictStr
    title: StrictStr | None = None
    metaphor: StrictStr | None = None
    text: StrictStr | None = None
    traits: list[StrictStr] | None = Field(default=None, max_length=8)
    version: StrictInt | None = None


class PollAnswerIn(Data):
    poll: StrictStr
    text: StrictStr | None = None
    ranking: list[StrictStr] | None = Field(default=None, max_length=20)


M = TypeVar("M", bound=Data)


def parse(model: type[M], data: dict[str, Any]) -> M:
    """Validate command data, turning the first problem into a sentence."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "data"
        raise PlenaryError("invalid", f"{where}: {first.get('msg', 'invalid')}.") from exc


def _given(model: Data, fields: tuple[str, ...]) -> dict[str, Any]:
    # Only what the client sent: an explicit null (x, y, cluster_id) clears a field.
    return {f: getattr(model, f) for f in fields if f in model.model_fields_set}


def note_add(session: Session, who: Identity, room: str, data: dict[str, Any]) -> list[NewEvent]:
    """`note.add`."""
    d = parse(NoteAdd, data)
    board = Board.for_change(session, who, room)
    return notes.add_note(board, text=d.text, lane=d.lane, color=d.color, x=d.x, y=d.y, when=d.when)


def note_edit(session: Session, who: Identity, room: str, data: dict[str, Any]) -> list[NewEvent]:
    """`note.edit`."""
    d = parse(NoteEdit, data)
    changes = _given(d, ("text", "lane", "color", "x", "y", "cluster_id", "when"))
    for field in ("text", "lane", "color"):
        if field in changes and changes[field] is None:
            raise PlenaryError("invalid", f"{field} cannot be null.")
    board = Board.for_change(session, who, room)
    return notes.edit_note(board, note_id=d.id, changes=changes, version=d.version)


def note_delete(session: Session, who: Identity, room: str, data: dict[str, Any]) -> list[NewEvent]:
    """`note.delete`."""
    d = parse(ById, data)
    return notes.delete_note(Board.for_change(session, who, room), note_id=d.id)


def cluster_create(
    session: Session, who: Identity, room: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`cluster.create`."""
    d = parse(ClusterCreate, data)
    board = Board.for_change(session, who, room)
    return clusters.create_cluster(board, title=d.title, note_ids=d.note_ids)


def cluster_update(
    session: Session, who: Identity, room: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`cluster.update`."""
    d = parse(ClusterUpdate, data)
    board = Board.for_change(session, who, room)
    return clusters.update_cluster(board, cluster_id=d.id, title=d.title, note_ids=d.note_ids)


def cluster_delete(
    session: Session, who: Identity, room: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`cluster.delete`."""
    d = parse(ById, data)
    return clusters.delete_cluster(Board.for_change(session, who, room), cluster_id=d.id)


def vote_cast(session: Session, who: Identity, room: str, data: dict[str, Any]) -> list[NewEvent]:
    """`vote.cast`."""
    d = parse(VoteCast, data)
    board = Board.for_change(session, who, room)
    return votes.cast_vote(board, target=d.target, impact=d.impact, uncertainty=d.uncertainty)


def vote_clear(session: Session, who: Identity, room: str, data: dict[str, Any]) -> list[NewEvent]:
    """`vote.clear`."""
    d = parse(VoteClear, data)
    return votes.clear_vote(Board.for_change(session, who, room), target=d.target)


def axes_set(session: Session, who: Identity, room: str, data: dict[str, Any]) -> list[NewEvent]:
    """`axes.set`."""
    d = parse(AxesSet, data)
    board = Board.for_change(session, who, room)
    return votes.set_axes(board, x=_axis(d.x), y=_axis(d.y))


def _axis(value: "str | AxisIn | None") -> votes.AxisPick | None:
    # A bare id, or the v2 form with poles; which poles were sent matters (null clears).
    if value is None:
        return None
    if isinstance(value, str):
        return votes.AxisPick(value)
    given = frozenset(value.model_fields_set & {"low", "high"})
    return votes.AxisPick(value.target, value.low, value.high, given)


def story_edit(session: Session, who: Identity, room: str, data: dict[str, Any]) -> list[NewEvent]:
    """`story.edit`."""
    d = parse(StoryEdit, data)
    changes = _given(d, ("title", "metaphor", "text", "traits"))
    if any(value is None for value in changes.values()):
        raise PlenaryError("invalid", "Story fields cannot be null; send an empty string.")
    board = Board.for_change(session, who, room)
    return stories.edit_story(board, quadrant=d.quadrant, changes=changes, version=d.version)


def poll_answer(session: Session, who: Identity, room: str, data: dict[str, Any]) -> list[NewEvent]:
    """`poll.answer`: no event; the ack is the receipt."""
    d = parse(PollAnswerIn, data)
    board = Board.load(session, who, room)
    return polls.answer_poll(board, poll_id=d.poll, text=d.text, ranking=d.ranking)


# A row or two each: these may run on the event loop (app/db.py). Cluster changes touch
# up to 200 notes, and are not among them.
LIGHT_OPS = frozenset(
    {"note.add", "note.edit", "note.delete", "vote.cast", "vote.clear", "axes.set", "story.edit"}
)


def register(registry: CommandRegistry) -> None:
    """Register every board op with the transport."""
    for op, handler in {
        "note.add": note_add,
        "note.edit": note_edit,
        "note.delete": note_delete,
        "cluster.create": cluster_create,
        "cluster.update": cluster_update,
        "cluster.delete": cluster_delete,
        "vote.cast": vote_cast,
        "vote.clear": vote_clear,
        "axes.set": axes_set,
        "story.edit": story_edit,
    }.items():
        registry.register(op, handler, light=op in LIGHT_OPS)
