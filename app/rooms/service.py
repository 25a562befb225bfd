"""Workshops, rooms, participants and the moderator's controls; each change returns its events."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.clock import iso, known_zone, utcnow
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.realtime.gateway import Identity
from app.realtime.log import create_stream, lock_stream
from app.rooms import phases
from app.rooms.models import Credential, Participant, Room, Workshop
from app.rooms.tokens import hash_token, new_id, new_join_code, new_token
from app.textrules import clean_text

# Called in the phase change's transaction, before `phase.changed`: boards uses it
# to reveal private notes when collecting ends and hidden tallies when rating ends.
PhaseHook = Callable[[Session, Workshop, Room, str, str], list[NewEvent]]
PHASE_HOOKS: list[PhaseHook] = []
# What a follow-up workshop carries of an earlier one (boards fills it: the synthesis).
SUMMARY_HOOKS: list[Callable[[Session, str], dict[str, Any]]] = []


@dataclass
class Created:
    """A new workshop with the two tokens that exist only in this answer."""

    workshop: Workshop
    rooms: list[Room]
    moderator_token: str
    projector_token: str


def create_workshop(
    session: Session,
    *,
    title: str,
    question: str | None,
    method: str,
    rooms: int,
    language: str,
    private_notes: bool,
    hide_tallies: bool = False,
    room_choice: bool = False,
    horizon: str | None = None,
    follows: str | None = None,
    timezone: str | None = None,
) -> Created:
    """Create a workshop, its rooms (each with an event stream) and its two tokens.

    A follow-up (`follows`) carries the earlier workshop's top items; its question
    defaults to the first of them.
    """
    previous = None
    if follows is not None:
        earlier = get_workshop(session, follows)
        timezone = timezone or earlier.timezone  # a series keeps one clock
        previous = SUMMARY_HOOKS[0](session, follows) if SUMMARY_HOOKS else None
    if timezone is not None and not known_zone(timezone):
        raise PlenaryError("invalid", f"timezone {timezone!r} is not a known time zone.")
    if question is None or not question.strip():
        items = previous["items"] if previous else []
        if not items:
            raise PlenaryError("invalid", "question must not be empty.")
        question = items[0]["title"]
    workshop = Workshop(
        id=new_id("w"),
        title=clean_text(title, field="title", max_len=200),
        question=clean_text(question, field="question", max_len=1000),
        method=method,
        language=language,
        private_notes=private_notes,
        hide_tallies=hide_tallies,
        room_choice=room_choice,
        horizon=None if horizon is None else clean_text(horizon, field="horizon", max_len=40),
        follows=follows,
        previous=None if previous is None else json.dumps(previous, ensure_ascii=False),
        join_code=_unused_join_code(session),
        timezone=timezone or "UTC",
    )
    session.add(workshop)
    session.flush()
    label = "Groep" if language == "nl" else "Group"
    made = [
        Room(id=new_id("r"), workshop_id=workshop.id, name=f"{label} {n}", position=n)
        for n in range(1, rooms + 1)
    ]
    session.add_all(made)
    session.flush()
    for room in made:
        create_stream(session, room.id)
    create_stream(session, synthesis_stream(workshop.id))
    moderator_token, projector_token = new_token(), new_token()
    for token, role in ((moderator_token, "moderator"), (projector_token, "projector")):
        session.add(Credential(token_hash=hash_token(token), workshop_id=workshop.id, role=role))
    return Created(workshop, made, moderator_token, projector_token)


def synthesis_stream(workshop_id: str) -> str:
    """The event stream of a workshop's merged board (`synthesis` on the wire)."""
    return f"{workshop_id}/synthesis"


def _unused_join_code(session: Session) -> str:
    while True:
        code = new_join_code()
        if session.exec(select(Workshop.id).where(Workshop.join_code == code)).first() is None:
            return code


def workshop_by_code(session: Session, code: str, *, lock: bool = False) -> Workshop:
    """The workshop of a join code (case-insensitive), or 404; `lock` serializes joins."""
    query = select(Workshop).where(Workshop.join_code == code.strip().upper())
    workshop = session.exec(query.with_for_update() if lock else query).first()
    if workshop is None:
        raise PlenaryError("not_found", "No workshop has this join code.")
    return workshop


def join(session: Session, *, code: str, name: str, room_id: str | None) -> tuple[Participant, str]:
    """Admit a participant by join code to a chosen room or the emptiest one."""
    workshop = workshop_by_code(session, code, lock=True)
    clean_name = clean_text(name, field="name", max_len=60)
    if room_id is not None:
        room = rooms_of(session, workshop.id, [room_id])[0]
    else:
        room = _emptiest_room(session, workshop.id)
    participant = Participant(
        id=new_id("p"), workshop_id=workshop.id, room_id=room.id, name=clean_name
    )
    session.add(participant)
    session.flush()
    token = new_token()
    session.add(
        Credential(
            token_hash=hash_token(token),
            workshop_id=workshop.id,
            role="participant",
            participant_id=participant.id,
        )
    )
    return participant, token


def _emptiest_room(session: Session, workshop_id: str) -> Room:
    counts = dict(
        session.exec(
            select(Participant.room_id, func.count())
            .where(Participant.workshop_id == workshop_id, col(Participant.revoked).is_(False))
            .group_by(col(Participant.room_id))
        ).all()
    )
    rooms = all_rooms(session, workshop_id)
    return min(rooms, key=lambda room: (counts.get(room.id, 0), room.position))


def authenticate(session: Session, workshop_id: str, token: str) -> Identity:
    """The identity a token grants in this workshop; 401 for anything else."""
    credential = session.get(Credential, hash_token(token))
    if credential is None or credential.workshop_id != workshop_id:
        raise PlenaryError("unauthorized", "This token is not valid for this workshop.")
    if credential.role != "participant":
        return Identity(workshop_id=workshop_id, role=credential.role)  # type: ignore[arg-type]
    participant = session.get(Participant, credential.participant_id)
    if participant is None or participant.revoked:
        raise PlenaryError("unauthorized", "This participant's access was revoked.")
    return Identity(
        workshop_id=workshop_id,
        role="participant",
        participant_id=participant.id,
        room_id=participant.room_id,
        name=participant.name,
    )


def require_role(identity: Identity, *roles: str) -> None:
    """Refuse with 403 unless the identity has one of these roles."""
    if identity.role not in roles:
        raise PlenaryError("forbidden", f"This needs the {' or '.join(roles)} token.")


def get_workshop(session: Session, workshop_id: str) -> Workshop:
    """The workshop, or 404."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise PlenaryError("not_found", "There is no such workshop.")
    return workshop


_SETTLED: dict[str, Workshop] = {}


def settled_workshop(session: Session, workshop_id: str) -> Workshop:
    """The workshop from a process cache: its fields never change after creation.

    Every command needs the method and the privacy options; reading them once per
    process instead of once per command saves a query on the hot path. The copy is
    detached: read it, never change it.
    """
    cached = _SETTLED.get(workshop_id)
    if cached is None:
        cached = get_workshop(session, workshop_id)
        session.expunge(cached)
        if len(_SETTLED) > 10_000:
            _SETTLED.clear()
        _SETTLED[workshop_id] = cached
    return cached


def forget_workshop(workshop_id: str) -> None:
    """Drop a deleted workshop from the cache."""
    _SETTLED.pop(workshop_id, None)


def all_rooms(session: Session, workshop_id: str) -> list[Room]:
    """The workshop's rooms in their order."""
    return list(
        session.exec(
            select(Room).where(Room.workshop_id == workshop_id).order_by(col(Room.position))
        ).all()
    )


def rooms_of(
    session: Session, workshop_id: str, room_ids: list[str] | None, *, lock: bool = False
) -> list[Room]:
    """The named rooms (all when None), each checked to belong to this workshop.

    With `lock`, each room is locked for the transaction, always in room order so
    two controls over overlapping rooms cannot deadlock.
    """
    rooms = all_rooms(session, workshop_id)
    if room_ids is not None:
        by_id = {room.id: room for room in rooms}
        missing = [rid for rid in room_ids if rid not in by_id]
        if missing:
            raise PlenaryError("not_found", f"Room {missing[0]} is not in this workshop.")
        if len(set(room_ids)) != len(room_ids):
            raise PlenaryError("invalid", "A room is named twice.")
        wanted = set(room_ids)
        rooms = [room for room in rooms if room.id in wanted]
    if lock:
        for room in rooms:
            lock_stream(session, room.id)
            session.refresh(room)
    return rooms


def set_phase(
    session: Session, *, workshop_id: str, phase: str, room_ids: list[str] | None
) -> list[NewEvent]:
    """Move rooms to a named phase, or `next` / `previous` from where each room is."""
    workshop = get_workshop(session, workshop_id)
    method_phases = phases.PHASES[workshop.method]
    if phase not in method_phases and phase not in ("next", "previous"):
        raise PlenaryError(
            "invalid",
            f"The {workshop.method} method has no phase {phase!r}; "
            f"it has {', '.join(method_phases)}.",
        )
    events: list[NewEvent] = []
    for room in rooms_of(session, workshop_id, room_ids, lock=True):
        if phase in ("next", "previous"):
            target = phases.next_phase(workshop.method, room.phase, 1 if phase == "next" else -1)
        else:
            target = phase
        if target == room.phase:
            continue
        old = room.phase
        for hook in PHASE_HOOKS:
            events.extend(hook(session, workshop, room, old, target))
        room.phase = target
        room.message = room.message_at = None  # a broadcast belongs to its phase
        events.append(NewEvent(room.id, "phase.changed", {"phase": target}))
        if room.timer_ends_at is not None:
            # A timer belongs to its phase too: "time's up" is not the new task's news, and
            # a clustering timer still running in the rating (or a story's, back in
            # collect) was read as the new phase's time (eighth trial).
            room.timer_ends_at = None
            events.append(NewEvent(room.id, "timer.set", {"ends_at": None}))
        session.add(room)
    return events


def set_timer(
    session: Session, *, workshop_id: str, seconds: int, room_ids: list[str] | None
) -> list[NewEvent]:
    """Start a countdown of `seconds` in the rooms (0 stops it)."""
    ends_at = utcnow() + timedelta(seconds=seconds) if seconds else None
    events = []
    for room in rooms_of(session, workshop_id, room_ids, lock=True):
        room.timer_ends_at = ends_at
        session.add(room)
        events.append(NewEvent(room.id, "timer.set", {"ends_at": iso(ends_at)}))
    return events


def broadcast(
    session: Session, *, workshop_id: str, message: str, room_ids: list[str] | None
) -> list[NewEvent]:
    """Send a message to the rooms."""
    text = clean_text(message, field="message", max_len=1000)
    events = []
    now = utcnow()
    for room in rooms_of(session, workshop_id, room_ids, lock=True):
        room.message, room.message_at = text, now
        session.add(room)
        events.append(NewEvent(room.id, "message", {"text": text, "at": iso(now)}))
    return events


def set_lock(session: Session, *, workshop_id: str, room_id: str, locked: bool) -> list[NewEvent]:
    """Lock or unlock one room against participant writes."""
    room = rooms_of(session, workshop_id, [room_id], lock=True)[0]
    room.locked = locked
    session.add(room)
    return [NewEvent(room.id, "room.locked", {"locked": locked})]


def move_participant(
    session: Session, *, workshop_id: str, participant_id: str, room_id: str
) -> Participant:
    """Put a participant in another room of the same workshop."""
    participant = session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop_id or participant.revoked:
        raise PlenaryError("not_found", "There is no such participant in this workshop.")
    room = rooms_of(session, workshop_id, [room_id])[0]
    participant.room_id = room.id
    session.add(participant)
    return participant


def revoke_participant(session: Session, *, workshop_id: str, participant_id: str) -> None:
    """Take a participant's access away: its token stops working at once."""
    participant = session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop_id or participant.revoked:
        raise PlenaryError("not_found", "There is no such participant in this workshop.")
    participant.revoked = True
    session.add(participant)
    for credential in session.exec(
        select(Credential).where(Credential.participant_id == participant_id)
    ).all():
        session.delete(credential)


def participants_by_room(session: Session, workshop_id: str) -> dict[str, list[Participant]]:
    """Who belongs to which room (not who is online)."""
    found: dict[str, list[Participant]] = {}
    for participant in session.exec(
        select(Participant)
        .where(Participant.workshop_id == workshop_id, col(Participant.revoked).is_(False))
        .order_by(col(Participant.created_at))
    ).all():
        found.setdefault(participant.room_id, []).append(participant)
    return found


def name_labels(participants: list[Participant]) -> dict[str, str]:
    """Each participant's name as the console shows it: a later namesake gets " (2)", " (3)".

    Numbered by when they joined, so the labels stay put when people move rooms (eleventh
    trial: two "Sanne" rows, and one was moved without knowing which).
    """
    seen: dict[str, int] = {}
    labels = {}
    for participant in sorted(participants, key=lambda p: (p.created_at, p.id)):
        key = " ".join(participant.name.casefold().split())
        seen[key] = seen.get(key, 0) + 1
        number = seen[key]
        labels[participant.id] = (
            participant.name if number == 1 else f"{participant.name} ({number})"
        )
    return labels


def room_summary(room: Room, workshop: Workshop) -> dict[str, Any]:
    """The fields of a room every view shows."""
    return {
        "id": room.id,
        "name": room.name,
        "phase": room.phase,
        "instruction": phases.instruction(
            workshop.method, room.phase, workshop.language, workshop.horizon
        ),
        "locked": room.locked,
        "timer_ends_at": iso(room.timer_ends_at),
    }


PLENARY_VIEWS = ("auto", "join", "activity", "items", "chart", "scenarios", "poll")


def set_plenary_view(session: Session, *, workshop_id: str, view: str) -> list[NewEvent]:
    """What the projection shows: one view, or `auto` to page through them."""
    if view not in PLENARY_VIEWS:
        raise PlenaryError("invalid", f"view must be one of {', '.join(PLENARY_VIEWS)}.")
    workshop = get_workshop(session, workshop_id)
    workshop.plenary_view = view
    session.add(workshop)
    return [NewEvent(synthesis_stream(workshop_id), "plenary.view", {"view": view})]


def new_projector_token(session: Session, *, workshop_id: str) -> str:
    """Another projector token for this workshop (the console's link to the projection)."""
    get_workshop(session, workshop_id)
    token = new_token()
    session.add(Credential(token_hash=hash_token(token), workshop_id=workshop_id, role="projector"))
    return token


def set_synthesis_lexicon(session: Session, *, workshop_id: str, lexicon: bool) -> None:
    """Switch the synthesis's subject lexicon for this workshop (it stays so for rebuilds)."""
    workshop = get_workshop(session, workshop_id)
    workshop.synthesis_lexicon = lexicon
    session.add(workshop)
