"""HTTP routes of plenary polls: ask, close, list; answers come on the room sockets."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr
from sqlmodel import Session

from app.boards.poll_live import PollDesk
from app.boards.polls import create_poll, polls_for
from app.boards.synthesis_read import gather, stored_items
from app.boards.synthesis_view import views
from app.errors import PlenaryError
from app.rooms.tokens import new_id
from app.web import ModeratorDep, RealtimeDep, ViewerDep

router = APIRouter()


class PollCreate(BaseModel):
    """A question to the whole audience."""

    model_config = ConfigDict(extra="forbid", strict=True)
    question: StrictStr
    kind: Literal["open", "rank"]
    options: list[StrictStr] | None = Field(default=None, min_length=1, max_length=20)
    from_synthesis: StrictInt | None = Field(default=None, ge=1, le=20)
    pick: StrictInt | None = Field(default=None, ge=1, le=5)


class PollClose(BaseModel):
    """`{}`: nothing to choose."""

    model_config = ConfigDict(extra="forbid", strict=True)


def top_items(session: Session, workshop_id: str, count: int) -> list[str]:
    """The titles of the synthesis's highest-scoring items, best first."""
    ranked = views(stored_items(session, workshop_id), gather(session, workshop_id))
    if not ranked:
        raise PlenaryError("conflict", "There is no synthesis yet to take the options from.")
    return [item.title for item in ranked[:count]]


@router.post("/api/workshops/{workshop_id}/polls", status_code=201)
async def ask(
    workshop_id: str, body: PollCreate, moderator: ModeratorDep, rt: RealtimeDep
) -> dict[str, Any]:
    """Open a poll in every room; the projection shows its results as they come."""
    options = body.options
    if body.from_synthesis is not None:
        if body.kind != "rank" or options is not None:
            raise PlenaryError("invalid", "from_synthesis is for a ranking, instead of options.")
        count = body.from_synthesis
        options = await rt.db.read(lambda s: top_items(s, workshop_id, count))
    poll_id = new_id("q")
    await rt.commit(
        lambda s: create_poll(
            s,
            poll_id=poll_id,
            workshop_id=workshop_id,
            question=body.question,
            kind=body.kind,
            options=options,
            pick=body.pick,
        ),
        "moderator",
    )
    polls = await rt.db.read(lambda s: polls_for(s, moderator))
    return next(p for p in polls if p["id"] == poll_id)


@router.post("/api/workshops/{workshop_id}/polls/{poll_id}/close")
async def close(
    workshop_id: str,
    poll_id: str,
    moderator: ModeratorDep,
    request: Request,
    _body: Annotated[PollClose | None, Body()] = None,
) -> dict[str, Any]:
    """Close a poll; every room shows the final results."""
    desk: PollDesk = request.app.state.poll_desk
    return await desk.close(moderator, poll_id)


@router.get("/api/workshops/{workshop_id}/polls")
async def list_polls(workshop_id: str, viewer: ViewerDep, rt: RealtimeDep) -> dict[str, Any]:
    """Every poll of the workshop, with results."""
    return {"polls": await rt.db.read(lambda s: polls_for(s, viewer))}
