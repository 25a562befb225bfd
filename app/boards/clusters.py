"""Cluster changes: create, update (rename, set notes), delete (its notes stay)."""

from sqlalchemy import update
from sqlmodel import col, select

from app.boards import rules
from app.boards.board import Board, cluster_dict, forget_target
from app.boards.models import Cluster, Note
from app.boards.notes import touch
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.rooms.tokens import new_id
from app.textrules import clean_text


def _assign_notes(board: Board, cluster_id: str, note_ids: list[str]) -> None:
    if len(note_ids) > rules.MAX_CLUSTER_NOTES:
        raise PlenaryError("invalid", f"A cluster holds at most {rules.MAX_CLUSTER_NOTES} notes.")
    if len(set(note_ids)) != len(note_ids):
        raise PlenaryError("invalid", "A note is named twice.")
    wanted = [board.note(note_id) for note_id in note_ids]
    current = board.session.exec(select(Note).where(Note.cluster_id == cluster_id)).all()
    for note in current:
        if note.id not in note_ids:
            note.cluster_id = None
            touch(note)
            board.session.add(note)
    for note in wanted:
        if note.cluster_id != cluster_id:
            note.cluster_id = cluster_id
            touch(note)
            board.session.add(note)


def _cluster_title(title: str) -> str:
    return clean_text(title, field="title", max_len=rules.CLUSTER_TITLE_MAX)


def create_cluster(board: Board, *, title: str, note_ids: list[str]) -> list[NewEvent]:
    """Group notes under a title; a note leaves any cluster it was in."""
    board.require("cluster.create")
    cluster = Cluster(id=new_id("c"), room_id=board.room.id, title=_cluster_title(title))
    board.session.add(cluster)
    board.session.flush()
    _assign_notes(board, cluster.id, note_ids)
    board.session.flush()
    return [
        NewEvent(
            board.room.id, "cluster.created", {"cluster": cluster_dict(board.session, cluster)}
        )
    ]


def update_cluster(
    board: Board, *, cluster_id: str, title: str | None, note_ids: list[str] | None
) -> list[NewEvent]:
    """Rename a cluster and/or set exactly which notes it holds."""
    board.require("cluster.update")
    cluster = board.cluster(cluster_id)
    if title is None and note_ids is None:
        raise PlenaryError("invalid", "Say what to change: title or note_ids.")
    if title is not None:
        cluster.title = _cluster_title(title)
        board.session.add(cluster)
    if note_ids is not None:
        _assign_notes(board, cluster.id, note_ids)
    board.session.flush()
    return [
        NewEvent(
            board.room.id, "cluster.updated", {"cluster": cluster_dict(board.session, cluster)}
        )
    ]


def delete_cluster(board: Board, *, cluster_id: str) -> list[NewEvent]:
    """Remove a cluster; its notes stay, unclustered."""
    board.require("cluster.delete")
    cluster = board.cluster(cluster_id)
    board.session.execute(
        update(Note).where(col(Note.cluster_id) == cluster.id).values(cluster_id=None)
    )
    forget_target(board.session, board.room.id, cluster.id)
    board.session.delete(cluster)
    return [NewEvent(board.room.id, "cluster.deleted", {"id": cluster.id})]
