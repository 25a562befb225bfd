"""Votes on impact and uncertainty, and the axis cross's two key uncertainties."""

from app.boards.board import Board
from app.boards.models import Axes, Vote
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent


def cast_vote(board: Board, *, target: str, impact: int, uncertainty: int) -> list[NewEvent]:
    """Score a note or cluster; a second cast by the same voter replaces the first."""
    board.require("vote.cast")
    board.require_target(target)
    vote = board.session.get(Vote, (target, board.identity.by))
    if vote is None:
        vote = Vote(
            target=target,
            voter=board.identity.by,
            room_id=board.room.id,
            impact=impact,
            uncertainty=uncertainty,
        )
    vote.impact, vote.uncertainty = impact, uncertainty
    board.session.add(vote)
    board.session.flush()
    return [board.tally_event(target)]


def clear_vote(board: Board, *, target: str) -> list[NewEvent]:
    """Withdraw one's vote on a target."""
    board.require("vote.clear")
    board.require_target(target)
    vote = board.session.get(Vote, (target, board.identity.by))
    if vote is not None:
        board.session.delete(vote)
        board.session.flush()
    return [board.tally_event(target)]


def set_axes(board: Board, *, x: str | None, y: str | None) -> list[NewEvent]:
    """Pick the two key uncertainties that span the axis cross (both null clears them)."""
    board.require("axes.set")
    for target in (x, y):
        if target is not None:
            board.require_target(target)
    if x is not None and x == y:
        raise PlenaryError("invalid", "The two axes need two different uncertainties.")
    axes = board.session.get(Axes, board.room.id) or Axes(room_id=board.room.id)
    axes.x, axes.y = x, y
    board.session.add(axes)
    return [NewEvent(board.room.id, "axes.set", {"x": x, "y": y})]
