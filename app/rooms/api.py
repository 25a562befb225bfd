"""HTTP routes of the rooms domain: create, join, and the moderator's controls."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from sqlmodel import Session

from app.realtime.engine import Change, Realtime
from app.realtime.envelope import Outbound
from app.rooms import service
from app.rooms.phases import PHASES
from app.web import ModeratorDep, RealtimeDep, SettingsDep, bearer, require_bearer

router = APIRouter()


class RequestBody(BaseModel):
    """Request bodies: unknown fields and loose types are refused (422)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class WorkshopCreate(RequestBody):
    title: StrictStr
    question: StrictStr | None = None  # a follow-up defaults to the earlier top item
    method: Literal["scenario", "backcast", "free"]
    rooms: StrictInt = Field(default=8, ge=1, le=64)
    language: Literal["nl", "en"] = "nl"
    private_notes: StrictBool = False
    hide_tallies: StrictBool = False
    room_choice: StrictBool = False
    horizon: StrictStr | None = None
    follows: StrictStr | None = Field(default=None, max_length=32)
    timezone: StrictStr | None = Field(default=None, max_length=64)  # the moderator's clock


class JoinRequest(RequestBody):
    code: StrictStr = Field(max_length=32)
    name: StrictStr
    room: StrictStr | None = None


RoomList = Annotated[list[StrictStr] | None, Field(default=None, max_length=64)]


class PhaseRequest(RequestBody):
    phase: StrictStr = Field(max_length=16)
    rooms: RoomList = None


class TimerRequest(RequestBody):
    seconds: StrictInt = Field(ge=0, le=7200)
    rooms: RoomList = None


class BroadcastRequest(RequestBody):
    message: StrictStr
    rooms: RoomList = None


class LockRequest(RequestBody):
    locked: StrictBool


class MoveRequest(RequestBody):
    room: StrictStr


def applied(outs: list[Outbound]) -> dict[str, object]:
    """The answer to a control: which events it caused in which rooms."""
    return {"ok": True, "events": [{"room": o.room, "seq": o.seq} for o in outs]}


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


@router.post("/api/workshops", status_code=201)
async def create_workshop(
    body: WorkshopCreate, request: Request, rt: RealtimeDep, settings: SettingsDep
) -> dict[str, object]:
    """Create a workshop; with PLENARY_CREATE_TOKEN set, only its holder may.

    A follow-up (`follows`) is created with the earlier workshop's moderator token.
    """
    if body.follows is not None:
        token, earlier = bearer(request), body.follows
        moderator = await rt.db.read(lambda s: service.authenticate(s, earlier, token))
        service.require_role(moderator, "moderator")
    else:
        require_bearer(request, settings.create_token, "Creating a workshop")
    request.app.state.create_limiter.check(request)

    def work(session: Session) -> service.Created:
        return service.create_workshop(session, **body.model_dump())

    created = await rt.db.write(work)
    workshop = created.workshop
    return {
        "id": workshop.id,
        "join_code": workshop.join_code,
        "moderator_token": created.moderator_token,
        "projector_token": created.projector_token,
        "rooms": [{"id": r.id, "name": r.name} for r in created.rooms],
        "phases": list(PHASES[workshop.method]),
    }


@router.get("/api/join/{code}")
async def join_info(code: str, rt: RealtimeDep) -> dict[str, object]:
    """What the join page shows before someone joins: public, by code."""

    def read(session: Session) -> dict[str, object]:
        workshop = service.workshop_by_code(session, code)
        rooms = service.all_rooms(session, workshop.id) if workshop.room_choice else []
        return {
            "workshop_id": workshop.id,
            "title": workshop.title,
            "question": workshop.question,
            "language": workshop.language,
            "room_choice": workshop.room_choice,
            "rooms": [{"id": r.id, "name": r.name} for r in rooms],
        }

    return await rt.db.read(read)


@router.post("/api/join", status_code=201)
async def join(body: JoinRequest, request: Request, rt: RealtimeDep) -> dict[str, str]:
    """Join by code, in a chosen room or the emptiest."""
    request.app.state.join_limiter.check(request)
    participant, token = await rt.db.write(
        lambda s: service.join(s, code=body.code, name=body.name, room_id=body.room)
    )
    return {
        "workshop_id": participant.workshop_id,
        "room_id": participant.room_id,
        "participant_id": participant.id,
        "token": token,
    }


async def _commit(rt: Realtime, change: Change) -> dict[str, object]:
    return applied(await rt.commit(change, "moderator"))


@router.post("/api/workshops/{workshop_id}/phase")
async def set_phase(
    workshop_id: str, body: PhaseRequest, request: Request, _mod: ModeratorDep, rt: RealtimeDep
) -> dict[str, object]:
    """Move rooms to a phase (named, `next` or `previous`)."""
    # A workshop under way will want its synthesis: what prepares for it starts now.
    for prepare in getattr(request.app.state, "on_phase_control", ()):
        prepare()
    return await _commit(
        rt,
        lambda s: service.set_phase(
            s, workshop_id=workshop_id, phase=body.phase, room_ids=body.rooms
        ),
    )


@router.post("/api/workshops/{workshop_id}/timer")
async def set_timer(
    workshop_id: str, body: TimerRequest, _mod: ModeratorDep, rt: RealtimeDep
) -> dict[str, object]:
    """Start or stop a countdown."""
    return await _commit(
        rt,
        lambda s: service.set_timer(
            s, workshop_id=workshop_id, seconds=body.seconds, room_ids=body.rooms
        ),
    )


@router.post("/api/workshops/{workshop_id}/broadcast")
async def broadcast(
    workshop_id: str, body: BroadcastRequest, _mod: ModeratorDep, rt: RealtimeDep
) -> dict[str, object]:
    """Send a message to rooms."""
    return await _commit(
        rt,
        lambda s: service.broadcast(
            s, workshop_id=workshop_id, message=body.message, room_ids=body.rooms
        ),
    )


@router.post("/api/workshops/{workshop_id}/rooms/{room_id}/lock")
async def lock(
    workshop_id: str, room_id: str, body: LockRequest, _mod: ModeratorDep, rt: RealtimeDep
) -> dict[str, object]:
    """Lock or unlock a room."""
    return await _commit(
        rt,
        lambda s: service.set_lock(s, workshop_id=workshop_id, room_id=room_id, locked=body.locked),
    )


@router.post("/api/workshops/{workshop_id}/participants/{participant_id}/move")
async def move(
    workshop_id: str, participant_id: str, body: MoveRequest, _mod: ModeratorDep, rt: RealtimeDep
) -> dict[str, object]:
    """Move a participant; its sockets get `moved` and close with 4409."""
    participant = await rt.db.write(
        lambda s: service.move_participant(
            s, workshop_id=workshop_id, participant_id=participant_id, room_id=body.room
        )
    )
    rt.hub.move_participant(participant.id, participant.room_id)
    return {"ok": True, "participant_id": participant.id, "room": participant.room_id}


class RevokeRequest(RequestBody):
    """`{}`: nothing to choose."""


@router.post("/api/workshops/{workshop_id}/participants/{participant_id}/revoke")
async def revoke(
    workshop_id: str,
    participant_id: str,
    _mod: ModeratorDep,
    rt: RealtimeDep,
    _body: Annotated[RevokeRequest | None, Body()] = None,
) -> dict[str, object]:
    """Kick a participant: the token is void and its sockets close with 4401."""
    await rt.db.write(
        lambda s: service.revoke_participant(
            s, workshop_id=workshop_id, participant_id=participant_id
        )
    )
    rt.hub.move_participant(participant_id, None)
    return {"ok": True, "participant_id": participant_id, "revoked": True}


@router.post("/api/workshops/{workshop_id}/projector-link", status_code=201)
async def projector_link(
    workshop_id: str,
    _mod: ModeratorDep,
    rt: RealtimeDep,
    _body: Annotated[RevokeRequest | None, Body()] = None,
) -> dict[str, str]:
    """A fresh projector token, so the console can open a working projection.

    Only hashes of tokens are stored, so the one made with the workshop cannot
    be shown again; each call adds one (earlier ones keep working).
    """
    token = await rt.db.write(lambda s: service.new_projector_token(s, workshop_id=workshop_id))
    return {"projector_token": token, "path": f"/w/{workshop_id}/plenary#token={token}"}
