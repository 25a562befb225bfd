"""HTTP routes of the synthesis: build it, read it, and the report in three formats plus SVG."""

from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from app.boards import export
from app.boards.matrix import matrix_svg
from app.boards.plenary import rebuild, synthesis_snapshot
from app.realtime.envelope import dumps
from app.realtime.log import stream_head
from app.rooms import service as rooms
from app.web import ModeratorDep, RealtimeDep, ViewerDep

router = APIRouter()


class BuildRequest(BaseModel):
    """`{}`: nothing to choose yet, but unknown fields are still refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


def _with_head(session: Session, workshop_id: str) -> dict[str, Any]:
    seq, epoch = stream_head(session, rooms.synthesis_stream(workshop_id))
    return {**synthesis_snapshot(session, workshop_id), "seq": seq, "epoch": epoch}


@router.post("/api/workshops/{workshop_id}/synthesis")
async def build(
    workshop_id: str,
    _mod: ModeratorDep,
    rt: RealtimeDep,
    _body: Annotated[BuildRequest | None, Body()] = None,
) -> dict[str, Any]:
    """(Re)build the merged board from every room; the moderator's edits stay."""
    await rt.commit(lambda s: rebuild(s, workshop_id), "moderator")
    return await rt.db.read(lambda s: _with_head(s, workshop_id))


@router.get("/api/workshops/{workshop_id}/synthesis")
async def read(workshop_id: str, _viewer: ViewerDep, rt: RealtimeDep) -> dict[str, Any]:
    """The merged board, with its seq and epoch."""
    return await rt.db.read(lambda s: _with_head(s, workshop_id))


def _attachment(workshop_id: str, suffix: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="plenary-{workshop_id}.{suffix}"'}


@router.get("/api/workshops/{workshop_id}/export.json")
async def export_json(workshop_id: str, _viewer: ViewerDep, rt: RealtimeDep) -> Any:
    """Everything, machine-readable."""
    data = await rt.db.read(lambda s: export.report(s, workshop_id))
    return Response(
        dumps(data), media_type="application/json", headers=_attachment(workshop_id, "json")
    )


@router.get("/api/workshops/{workshop_id}/export.md")
async def export_md(workshop_id: str, _viewer: ViewerDep, rt: RealtimeDep) -> Response:
    """The report to read."""
    data = await rt.db.read(lambda s: export.report(s, workshop_id))
    return PlainTextResponse(
        export.markdown(data),
        media_type="text/markdown; charset=utf-8",
        headers=_attachment(workshop_id, "md"),
    )


@router.get("/api/workshops/{workshop_id}/export.csv")
async def export_csv(workshop_id: str, _viewer: ViewerDep, rt: RealtimeDep) -> Response:
    """One row per note."""

    def work(session: Session) -> str:
        return export.csv_text(session, workshop_id, export.report(session, workshop_id))

    return PlainTextResponse(
        await rt.db.read(work),
        media_type="text/csv; charset=utf-8",
        headers=_attachment(workshop_id, "csv"),
    )


@router.get("/api/workshops/{workshop_id}/matrix.svg")
async def matrix(workshop_id: str, _viewer: ViewerDep, rt: RealtimeDep) -> Response:
    """The synthesis's axis cross."""

    def work(session: Session) -> str:
        workshop = rooms.get_workshop(session, workshop_id)
        return matrix_svg(synthesis_snapshot(session, workshop_id)["items"], workshop.language)

    return Response(await rt.db.read(work), media_type="image/svg+xml")
