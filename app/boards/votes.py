"""Votes on impact and uncertainty, and the axis cross's two key uncertainties."""

from dataclasses import dataclass

from app.boards.board import Board, axes_dict
from app.boards.models import Axes, Vote
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.textrules import clean_text


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


@dataclass(frozen=True)
class AxisPick:
    """One axis as a command names it: a target, and the poles if they were given."""

    target: str
    low: str | None = None
    high: str | None = None
    given: frozenset[str] = frozenset()  # which of low and high were sent (null clears)


def _pole(value: str | None, name: str) -> str | None:
    return None if value is None else clean_text(value, field=name, max_len=60)


def _apply(axes: Axes, side: str, pick: AxisPick | None) -> None:
    old_target = getattr(axes, side)
    if pick is None:
        setattr(axes, side, None)
        setattr(axes, f"{side}_low", None)
        setattr(axes, f"{side}_high", None)
        return
    same = old_target == pick.target
    for pole in ("low", "high"):
        field = f"{side}_{pole}"
        if pole in pick.given:
            setattr(axes, field, _pole(getattr(pick, pole), f"{side}.{pole}"))
        elif not same:
            setattr(axes, field, None)  # poles name this uncertainty's ends, not another's
    setattr(axes, side, pick.target)


def set_axes(board: Board, *, x: AxisPick | None, y: AxisPick | None) -> list[NewEvent]:
    """Choose the two key uncertainties of the scenario cross and name their poles.

    An omitted pole keeps the one already named, if the axis keeps its target;
    both axes null clears the cross.
    """
    board.require("axes.set")
    for pick in (x, y):
        if pick is not None:
            board.require_target(pick.target)
    if x is not None and y is not None and x.target == y.target:
        raise PlenaryError("invalid", "The two axes need two different uncertainties.")
    axes = board.session.get(Axes, board.room.id) or Axes(room_id=board.room.id)
    _apply(axes, "x", x)
    _apply(axes, "y", y)
    board.session.add(axes)
    board.session.flush()
    return [NewEvent(board.room.id, "axes.set", axes_dict(board.session, axes))]
