"""The synthesis ops on the WebSocket (moderator only): rename, merge, split, move a note."""

from typing import Any

from pydantic import Field, StrictStr
from sqlmodel import Session

from app.boards.handlers import Data, parse
from app.boards.synthesis_edit import Editor
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.realtime.gateway import CommandRegistry, Identity
from app.rooms.service import set_plenary_view, synthesis_stream


class ItemRename(Data):
    id: StrictStr
    title: StrictStr


class ItemMerge(Data):
    ids: list[StrictStr] = Field(max_length=500)


class ItemSplit(Data):
    id: StrictStr
    note_ids: list[StrictStr] = Field(max_length=2000)


class ItemMoveNote(Data):
    note_id: StrictStr
    to: StrictStr


def _editor_check(who: Identity, stream: str) -> None:
    if stream != synthesis_stream(who.workshop_id):
        raise PlenaryError("invalid", "Synthesis ops are sent on the synthesis socket.")
    if who.role != "moderator":
        raise PlenaryError("forbidden", "Only the moderator edits the synthesis.")


def _editor(session: Session, who: Identity, stream: str) -> Editor:
    _editor_check(who, stream)
    return Editor(session, who.workshop_id)


def item_rename(
    session: Session, who: Identity, stream: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`item.rename`."""
    d = parse(ItemRename, data)
    return _editor(session, who, stream).rename(d.id, d.title)


def item_merge(
    session: Session, who: Identity, stream: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`item.merge`."""
    d = parse(ItemMerge, data)
    return _editor(session, who, stream).merge(d.ids)


def item_split(
    session: Session, who: Identity, stream: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`item.split`."""
    d = parse(ItemSplit, data)
    return _editor(session, who, stream).split(d.id, d.note_ids)


def item_move_note(
    session: Session, who: Identity, stream: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`item.move_note`."""
    d = parse(ItemMoveNote, data)
    return _editor(session, who, stream).move_note(d.note_id, d.to)


class SuggestionId(Data):
    id: StrictStr


def suggestion_accept(
    session: Session, who: Identity, stream: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`suggestion.accept`: do what it proposes (a merge or a move)."""
    d = parse(SuggestionId, data)
    return _editor(session, who, stream).accept(d.id)


def suggestion_reject(
    session: Session, who: Identity, stream: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`suggestion.reject`: keep its notes apart; it is never offered again."""
    d = parse(SuggestionId, data)
    return _editor(session, who, stream).reject(d.id)


class PlenaryView(Data):
    view: StrictStr


def plenary_view(
    session: Session, who: Identity, stream: str, data: dict[str, Any]
) -> list[NewEvent]:
    """`plenary.view`: what the projection shows (moderator, on the synthesis socket)."""
    d = parse(PlenaryView, data)
    _editor_check(who, stream)
    return set_plenary_view(session, workshop_id=who.workshop_id, view=d.view)


def register(registry: CommandRegistry) -> None:
    """Register the synthesis ops with the transport."""
    registry.register("item.rename", item_rename)
    registry.register("item.merge", item_merge)
    registry.register("item.split", item_split)
    registry.register("item.move_note", item_move_note)
    registry.register("plenary.view", plenary_view)
    registry.register("suggestion.accept", suggestion_accept)
    registry.register("suggestion.reject", suggestion_reject)
