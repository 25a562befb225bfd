"""Plenary polls: asked of every room at once, answered anonymously, ranked live.

Opening and closing are events in every room and on the synthesis stream.
Answers are not events (a receipt is their ack); while a poll is open its
results travel on the synthesis stream as `poll.results` (app/boards/poll_live.py).
"""

import json
from typing import Any

from sqlmodel import Session, col, select

from app.boards.board import Board
from app.boards.models import Poll, PollAnswer
from app.boards.poll_rules import (
    MAX_OPTIONS,
    MAX_PICK,
    Option,
    compute_results,
    ranking_problem,
)
from app.clock import utcnow
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.realtime.gateway import Identity
from app.realtime.log import lock_stream
from app.rooms import service as rooms
from app.rooms.tokens import new_id
from app.textrules import clean_text


def options_of(poll: Poll) -> list[Option]:
    """A poll's options."""
    return [Option(o["id"], o["text"]) for o in json.loads(poll.options)]


def poll_dict(poll: Poll, answers: int, results: list[dict[str, Any]] | None) -> dict[str, Any]:
    """A poll as the protocol writes it."""
    return {
        "id": poll.id,
        "question": poll.question,
        "kind": poll.kind,
        "options": [{"id": o.id, "text": o.text} for o in options_of(poll)],
        "pick": poll.pick,
        "open": poll.open,
        "answers": answers,
        "results": results,
    }


def _everywhere(
    session: Session, workshop_id: str, op: str, data: dict[str, Any]
) -> list[NewEvent]:
    streams = [r.id for r in rooms.all_rooms(session, workshop_id)]
    streams.append(rooms.synthesis_stream(workshop_id))
    return [NewEvent(stream, op, data) for stream in streams]


def create_poll(
    session: Session,
    *,
    poll_id: str,
    workshop_id: str,
    question: str,
    kind: str,
    options: list[str] | None,
    pick: int | None,
) -> list[NewEvent]:
    """Ask every room one question; refused while another poll is open."""
    rooms.get_workshop(session, workshop_id)
    lock_stream(session, rooms.synthesis_stream(workshop_id))  # one open poll per workshop
    asked = clean_text(question, field="question", max_len=280)
    if kind == "open":
        if options is not None or pick is not None:
            raise PlenaryError("invalid", "An open question has no options and no pick.")
        chosen: list[Option] = []
    else:
        if not options:
            raise PlenaryError("invalid", "A ranking needs options (or from_synthesis).")
        if len(options) > MAX_OPTIONS:
            raise PlenaryError("invalid", f"A ranking has at most {MAX_OPTIONS} options.")
        texts = [clean_text(o, field="options", max_len=280) for o in options]
        if len({t.lower() for t in texts}) != len(texts):
            raise PlenaryError("invalid", "An option is given twice.")
        chosen = [Option(new_id("o"), text) for text in texts]
        pick = min(3, len(chosen)) if pick is None else pick
        if not 1 <= pick <= min(MAX_PICK, len(chosen)):
            raise PlenaryError(
                "invalid", f"pick must be between 1 and {min(MAX_PICK, len(chosen))}."
            )
    already = session.exec(
        select(Poll.id).where(Poll.workshop_id == workshop_id, col(Poll.open).is_(True))
    ).first()
    if already is not None:
        raise PlenaryError("conflict", "Another poll is still open; close it first.")
    poll = Poll(
        id=poll_id,
        workshop_id=workshop_id,
        question=asked,
        kind=kind,
        options=json.dumps([{"id": o.id, "text": o.text} for o in chosen], ensure_ascii=False),
        pick=pick if kind == "rank" else None,
    )
    session.add(poll)
    session.flush()
    return _everywhere(session, workshop_id, "poll.opened", {"poll": poll_dict(poll, 0, [])})


def get_poll(session: Session, workshop_id: str, poll_id: str) -> Poll:
    """A poll of this workshop, or 404 (another workshop's poll does not exist here)."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.workshop_id != workshop_id:
        raise PlenaryError("not_found", "There is no such poll in this workshop.")
    return poll


def answer_poll(
    board: Board, *, poll_id: str, text: str | None, ranking: list[str] | None
) -> list[NewEvent]:
    """Record (or replace) one person's answer; no event: the ack is the receipt."""
    if board.identity.role == "participant":
        board.require_member()
        if board.room.locked:
            raise PlenaryError("locked", "The moderator has locked this room.")
    poll = get_poll(board.session, board.workshop.id, poll_id)
    if not poll.open:
        raise PlenaryError("conflict", "This poll is closed.")
    if poll.kind == "open":
        if ranking is not None or text is None:
            raise PlenaryError("invalid", "An open question takes a text, not a ranking.")
        stored_text, stored_ranking = clean_text(text, field="text", max_len=280), None
    else:
        if text is not None or ranking is None:
            raise PlenaryError("invalid", "A ranking poll takes a ranking, not a text.")
        problem = ranking_problem(ranking, options_of(poll), poll.pick or MAX_PICK)
        if problem is not None:
            raise PlenaryError("invalid", problem)
        stored_text, stored_ranking = None, json.dumps(ranking)
    answer = board.session.get(PollAnswer, (poll.id, board.identity.by)) or PollAnswer(
        poll_id=poll.id, voter=board.identity.by
    )
    answer.text, answer.ranking, answer.updated_at = stored_text, stored_ranking, utcnow()
    board.session.add(answer)
    return []


def plain_answers(
    poll: Poll, answers: list[PollAnswer]
) -> tuple[str, list[Option], int | None, list[str], list[list[str]]]:
    """A poll's answers as plain data, for `compute_results`."""
    texts = [a.text for a in answers if a.text]
    rankings = [json.loads(a.ranking) for a in answers if a.ranking]
    return poll.kind, options_of(poll), poll.pick, texts, rankings


def results_of(poll: Poll, answers: list[PollAnswer]) -> list[dict[str, Any]]:
    """Borda points for a ranking; open answers grouped and counted."""
    return compute_results(*plain_answers(poll, answers))


def read_answers(session: Session, workshop_id: str, poll_id: str) -> tuple[Poll, list[PollAnswer]]:
    """A poll and every answer to it, in a stable order."""
    poll = get_poll(session, workshop_id, poll_id)
    answers = session.exec(
        select(PollAnswer).where(PollAnswer.poll_id == poll.id).order_by(col(PollAnswer.voter))
    ).all()
    session.expunge_all()
    return poll, list(answers)


def results_event(
    workshop_id: str, poll: Poll, answers: int, results: list[dict[str, Any]]
) -> NewEvent:
    """`poll.results` on the synthesis stream, for the moderator and the projection."""
    data = {"poll": poll_dict(poll, answers, results)}
    return NewEvent(rooms.synthesis_stream(workshop_id), "poll.results", data)


def shut_poll(session: Session, *, workshop_id: str, poll_id: str) -> bool:
    """Stop taking answers (no event yet); False if it was already closed."""
    poll = get_poll(session, workshop_id, poll_id)
    if not poll.open:
        return False
    poll.open, poll.closed_at = False, utcnow()
    session.add(poll)
    return True


def publish_results(
    session: Session,
    *,
    workshop_id: str,
    poll_id: str,
    results: list[dict[str, Any]],
    answers: int,
) -> list[NewEvent]:
    """Store a closed poll's final results: `poll.closed` in every room and on the synthesis."""
    poll = get_poll(session, workshop_id, poll_id)
    if poll.results is not None:
        return []  # another close got here first
    poll.results, poll.answers = json.dumps(results, ensure_ascii=False), answers
    session.add(poll)
    session.flush()
    data = {"poll": poll_dict(poll, answers, results)}
    return _everywhere(session, workshop_id, "poll.closed", data)


def _mine(session: Session, poll: Poll, voter: str) -> dict[str, Any] | None:
    # A participant's own answer, so its page shows what it answered after a reload.
    answer = session.get(PollAnswer, (poll.id, voter))
    if answer is None:
        return None
    if answer.text is not None:
        return {"text": answer.text}
    return {"ranking": json.loads(answer.ranking or "[]")}


def polls_for(session: Session, identity: Identity) -> list[dict[str, Any]]:
    """The workshop's polls as this identity sees them: rooms see no results while open."""
    polls = session.exec(
        select(Poll)
        .where(Poll.workshop_id == identity.workshop_id)
        .order_by(col(Poll.created_at), col(Poll.id))
    ).all()
    viewer = identity.role in ("moderator", "projector")
    shown = []
    for poll in polls:
        if not poll.open and poll.results is not None:
            shown.append(poll_dict(poll, poll.answers, json.loads(poll.results)))
            continue
        poll_id = poll.id
        _, answers = read_answers(session, identity.workshop_id, poll_id)
        # Closed without stored results means the process died between closing and
        # publishing: the answers are frozen, so the results are the same computed now.
        if not poll.open or viewer:
            shown.append(poll_dict(poll, len(answers), results_of(poll, answers)))
            continue
        seen = poll_dict(poll, len(answers), None)
        seen["mine"] = _mine(session, poll, identity.by)
        shown.append(seen)
    return shown
