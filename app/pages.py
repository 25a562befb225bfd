"""The pages: Jinja2 shells that load ES modules; every token stays out of URLs sent to us."""

import io
from pathlib import Path

import segno
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
STATIC = Path(__file__).resolve().parent.parent / "static"


def _page(request: Request, name: str, **context: str) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    """Create a workshop."""
    return _page(request, "home.html")


@router.get("/join", response_class=HTMLResponse)
async def join_without_code(request: Request) -> HTMLResponse:
    """Type the code from the screen, then join."""
    return _page(request, "join.html", code="")


@router.get("/join/{code}", response_class=HTMLResponse)
async def join(request: Request, code: str) -> HTMLResponse:
    """Join with a name."""
    return _page(request, "join.html", code=code)


def join_url(request: Request, code: str) -> str:
    """The join link people scan: on PLENARY_PUBLIC_URL when set, never a reflected Host."""
    public = request.app.state.settings.public_url
    if public:
        return f"{public}/join/{code}"
    return str(request.url_for("join", code=code))


@router.get("/join/{code}/qr.svg")
async def join_qr(request: Request, code: str) -> Response:
    """The join link as a QR code (SVG, made here: no outside service)."""
    url = join_url(request, code)
    buffer = io.BytesIO()
    # A standalone SVG (with its namespace) so it renders in an <img> and when saved;
    # its title says the link, for screen readers and for anyone checking it.
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=2,
        dark="#111",
        light="#fff",
        xmldecl=False,
        title=url,
    )
    return Response(buffer.getvalue(), media_type="image/svg+xml")


@router.get("/w/{workshop_id}/room/{room_id}", response_class=HTMLResponse)
async def board(request: Request, workshop_id: str, room_id: str) -> HTMLResponse:
    """A room's board (participant, or the moderator with `#token=`)."""
    return _page(request, "board.html", workshop_id=workshop_id, room_id=room_id)


@router.get("/w/{workshop_id}/moderate", response_class=HTMLResponse)
async def moderate(request: Request, workshop_id: str) -> HTMLResponse:
    """The moderator's console; the token travels in the fragment."""
    return _page(request, "moderate.html", workshop_id=workshop_id)


@router.get("/w/{workshop_id}/plenary", response_class=HTMLResponse)
async def plenary(request: Request, workshop_id: str) -> HTMLResponse:
    """The projection of the synthesis."""
    return _page(request, "plenary.html", workshop_id=workshop_id)


@router.get("/w/{workshop_id}/report", response_class=HTMLResponse)
async def report_page(request: Request, workshop_id: str) -> HTMLResponse:
    """The report to read and print (A4); the token travels in the fragment."""
    return _page(request, "report.html", workshop_id=workshop_id)


def wants_page(request: Request) -> bool:
    """A browser asking for a page: GET or HEAD for HTML, outside the API and the socket."""
    path = request.url.path
    if request.method not in ("GET", "HEAD") or path.startswith(("/api/", "/ws/")):
        return False
    return "text/html" in request.headers.get("accept", "")


def not_found_page(request: Request) -> HTMLResponse:
    """A mistyped address in the site's style, with the ways to home and /join (404)."""
    return templates.TemplateResponse(request, "not_found.html", {}, status_code=404)


@router.get("/favicon.ico")
async def favicon() -> FileResponse:
    """The icon browsers ask for on their own, so it is never a 404."""
    return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon")
