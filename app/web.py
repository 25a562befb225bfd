"""HTTP plumbing shared by the route files: errors, auth, body limit, Origin check."""

import secrets
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import PlenaryError
from app.pages import not_found_page, wants_page
from app.realtime.connection import RAW_SEND
from app.realtime.engine import Realtime
from app.realtime.gateway import Identity
from app.realtime.origin import origin_allowed
from app.rooms import service as rooms

HTTP_CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "invalid",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


def error_response(status: int, code: str, message: str) -> JSONResponse:
    """PROTOCOL.md's error body."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as `{"error": {"code", "message"}}`."""

    @app.exception_handler(PlenaryError)
    async def _plenary(_request: Request, exc: PlenaryError) -> JSONResponse:
        headers = {"Retry-After": "10"} if exc.code == "rate_limited" else None
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        return error_response(422, "invalid", f"{where}: {first.get('msg', 'invalid request')}.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        # A person who mistyped an address reads a page, not JSON; the API keeps its errors.
        if exc.status_code == 404 and wants_page(request):
            return not_found_page(request)
        code = HTTP_CODES.get(exc.status_code, "invalid")
        return error_response(exc.status_code, code, str(exc.detail))


def get_realtime(request: Request) -> Realtime:
    """The app's realtime engine."""
    realtime: Realtime = request.app.state.realtime
    return realtime


def get_settings_dep(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


RealtimeDep = Annotated[Realtime, Depends(get_realtime)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def bearer(request: Request) -> str:
    """The bearer token of a request, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PlenaryError("unauthorized", "Send Authorization: Bearer <token>.")
    return token.strip()


def require_bearer(request: Request, expected: str | None, purpose: str) -> None:
    """Refuse with 401 unless the request carries `expected` (no check when it is None)."""
    if expected is None:
        return
    if not secrets.compare_digest(bearer(request).encode(), expected.encode()):
        raise PlenaryError("unauthorized", f"{purpose} needs its token.")


async def identity_for(request: Request, workshop_id: str) -> Identity:
    """Who the request's token is in this workshop."""
    token = bearer(request)
    realtime = get_realtime(request)
    return await realtime.db.read(lambda s: rooms.authenticate(s, workshop_id, token))


IdentityDep = Annotated[Identity, Depends(identity_for)]


async def moderator_for(identity: IdentityDep) -> Identity:
    """The moderator of this workshop, or 403."""
    rooms.require_role(identity, "moderator")
    return identity


async def viewer_for(identity: IdentityDep) -> Identity:
    """The moderator or projector of this workshop, or 403."""
    rooms.require_role(identity, "moderator", "projector")
    return identity


ModeratorDep = Annotated[Identity, Depends(moderator_for)]
ViewerDep = Annotated[Identity, Depends(viewer_for)]

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class GuardMiddleware:
    """Refuses over-large bodies (413) and state changes from a foreign Origin (403)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        allowed_origins: list[str],
        public_url: str | None = None,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.allowed_origins = allowed_origins
        self.public_url = public_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check, then pass the request on with a counting `receive`."""
        if scope["type"] == "websocket":
            # The server's own send, for the socket layer's event frames: Starlette's
            # per-frame wrappers inside cost about a tenth of each delivery.
            scope[RAW_SEND] = send
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        allowed = origin_allowed(headers, self.allowed_origins, self.public_url)
        if scope["method"] in UNSAFE_METHODS and not allowed:
            await error_response(403, "forbidden", "Requests from this origin are refused.")(
                scope, receive, send
            )
            return
        declared = headers.get("content-length")
        if declared and declared.isdigit():
            if int(declared) > self.max_body:
                await self._too_large(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        # No length given (chunked): read the body here, bounded, so an overflow is a
        # plain 413 rather than an error raised inside the app's own body parsing.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_body:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replay = _replay([{"type": "http.request", "body": body, "more_body": False}], receive)
        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"The request body is over {self.max_body} bytes."
        await error_response(413, "too_large", message)(scope, receive, send)


def _replay(messages: list[Message], then: Receive) -> Receive:
    # Hands the app what the guard already read, then the server's own receive.
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        return await then()

    return receive
