"""HTTP routes of the synthesis: build it, read it, and the report in three formats plus SVG."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, StrictBool
from sqlmodel import Session

from app.boards.export_csv import csv_text
from app.boards.export_md import in_lane_order, markdown
from app.boards.export_pdf import pdf_bytes
from app.boards.matrix import matrix_svg
from app.boards.report import report
from app.boards.synthesis_build import SynthesisBuilder, synthesis_snapshot
from app.realtime.engine import Realtime
from app.realtime.envelope import dumps
from app.realtime.gateway import Identity
from app.realtime.log import stream_head
from app.rooms import service as rooms
from app.web import ModeratorDep, RealtimeDep, ViewerDep

router = APIRouter()


class BuildRequest(BaseModel):
    """`{}`, or `{"lexicon": bool}` to switch the subject lexicon (and keep it switched)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    lexicon: StrictBool | None = None


def _with_head(session: Session, identity: Identity) -> dict[str, Any]:
    seq, epoch = stream_head(session, rooms.synthesis_stream(identity.workshop_id))
    return {**synthesis_snapshot(session, identity), "seq": seq, "epoch": epoch}


@router.post("/api/workshops/{workshop_id}/synthesis")
async def build(
    workshop_id: str,
    _mod: ModeratorDep,
    request: Request,
    _body: Annotated[BuildRequest | None, Body()] = None,
) -> dict[str, Any]:
    """(Re)build the merged board from every room; the moderator's edits stay."""
    builder: SynthesisBuilder = request.app.state.synthesis_builder
    if _body is not None and _body.lexicon is not None:
        lexicon = _body.lexicon
        rt: Realtime = request.app.state.realtime
        await rt.db.write(
            lambda s: rooms.set_synthesis_lexicon(s, workshop_id=workshop_id, lexicon=lexicon)
        )
    return await builder.build(workshop_id)


@router.get("/api/workshops/{workshop_id}/synthesis")
async def read(workshop_id: str, viewer: ViewerDep, rt: RealtimeDep) -> dict[str, Any]:
    """The merged board as this viewer may see it, with its seq and epoch."""
    return await rt.db.read(lambda s: _with_head(s, viewer))


def _attachment(workshop_id: str, suffix: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="plenary-{workshop_id}.{suffix}"'}


@router.get("/api/workshops/{workshop_id}/export.json")
async def export_json(workshop_id: str, viewer: ViewerDep, rt: RealtimeDep) -> Any:
    """Everything this viewer may see, machine-readable."""
    data = await rt.db.read(lambda s: report(s, viewer))
    return Response(
        dumps(data), media_type="application/json", headers=_attachment(workshop_id, "json")
    )


@router.get("/api/workshops/{workshop_id}/export.md")
async def export_md(workshop_id: str, viewer: ViewerDep, rt: RealtimeDep) -> Response:
    """The report to read."""
    data = await rt.db.read(lambda s: report(s, viewer))
    return PlainTextResponse(
        markdown(data),
        media_type="text/markdown; charset=utf-8",
        headers=_attachment(workshop_id, "md"),
    )


@router.get("/api/workshops/{workshop_id}/export.csv")
async def export_csv(
    workshop_id: str,
    viewer: ViewerDep,
    rt: RealtimeDep,
    sep: Annotated[Literal["comma", "semicolon"], Query()] = "comma",
) -> Response:
    """One row per note; `?sep=semicolon` for Dutch Excel (semicolons, decimal commas)."""
    data = await rt.db.read(lambda s: report(s, viewer))
    return Response(
        csv_text(data, dutch_excel=sep == "semicolon"),
        media_type="text/csv; charset=utf-8",
        headers=_attachment(workshop_id, "csv"),
    )


@router.get("/api/workshops/{workshop_id}/export.pdf")
async def export_pdf(workshop_id: str, viewer: ViewerDep, rt: RealtimeDep) -> Response:
    """The report to print or send (A4)."""
    data = await rt.db.read(lambda s: report(s, viewer))
    return Response(
        pdf_bytes(data), media_type="application/pdf", headers=_attachment(workshop_id, "pdf")
    )


@router.get("/api/workshops/{workshop_id}/matrix.svg")
async def matrix(workshop_id: str, viewer: ViewerDep, rt: RealtimeDep) -> Response:
    """The synthesis's impact and uncertainty chart."""

    def work(session: Session) -> str:
        workshop = rooms.get_workshop(session, workshop_id)
        # Numbered as the report's tables: lane by lane, the numbers running on.
        return matrix_svg(in_lane_order(synthesis_snapshot(session, viewer)), workshop.language)

    return Response(await rt.db.read(work), media_type="image/svg+xml")
