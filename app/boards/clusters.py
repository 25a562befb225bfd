"""Cluster changes: create, update (rename, set notes), delete (its notes stay)."""

from sqlalchemy import update
from sqlmodel import col, select

from app.boards import rules
from app.boards.board import Board, axes_follow, cluster_dict, forget_target
from app.boards.models import Cluster, Note
from app.clock import utcnow
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.rooms.tokens import new_id
from app.textrules import clean_text


def _assign_notes(board: Board, cluster_id: str, note_ids: list[str]) -> None:
    # Two bulk statements whatever the size: a cluster of 200 costs about what one of 2 does.
    if len(note_ids) > rules.MAX_CLUSTER_NOTES:
        raise PlenaryError("invalid", f"A cluster holds at most {rules.MAX_CLUSTER_NOTES} notes.")
    if len(set(note_ids)) != len(note_ids):
        raise PlenaryError("invalid", "A note is named twice.")
    session = board.session
    found = dict(
        session.exec(
            select(Note.id, Note.cluster_id).where(
                col(Note.id).in_(note_ids), Note.room_id == board.room.id
            )
        ).all()
    )
    missing = [note_id for note_id in note_ids if note_id not in found]
    if missing:
        raise PlenaryError("not_found", f"Note {missing[0]} is not on this board.")
    changed = {"version": col(Note.version) + 1, "updated_at": utcnow()}
    session.execute(
        update(Note)
        .where(col(Note.cluster_id) == cluster_id, col(Note.id).not_in(note_ids))
        .values(cluster_id=None, **changed)
        .execution_options(synchronize_session=False)
    )
    joining = [note_id for note_id in note_ids if found[note_id] != cluster_id]
    if joining:
        session.execute(
            update(Note)
            .where(col(Note.id).in_(joining))
            .values(cluster_id=cluster_id, **changed)
            .execution_options(synchronize_session=False)
        )


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
    events = [
        NewEvent(
            board.room.id, "cluster.updated", {"cluster": cluster_dict(board.session, cluster)}
        )
    ]
    return events + (axes_follow(board, cluster.id) if title is not None else [])


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
