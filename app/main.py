"""The application: settings, storage, broker, realtime engine, routes, pages."""

import asyncio
import gc
import logging
import logging.config
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from app.boards import handlers as board_handlers
from app.boards import plenary_handlers
from app.boards.api import router as boards_router
from app.boards.erase import erase_workshop, expired_workshops
from app.boards.followup import previous_summary
from app.boards.gateway import BoardGateway
from app.boards.notes import on_phase_change
from app.boards.poll_api import router as poll_router
from app.boards.poll_live import PollDesk
from app.boards.synthesis_api import router as synthesis_router
from app.boards.synthesis_build import SynthesisBuilder
from app.config import Settings, get_settings
from app.db import Database
from app.http_limits import AddressLimiter
from app.logs import LOG_CONFIG
from app.pages import router as pages_router
from app.realtime.broker import Broker
from app.realtime.engine import Realtime
from app.realtime.gateway import CommandRegistry
from app.realtime.memory import MemoryBroker
from app.realtime.metrics import QUEUED_FRAMES, QUEUED_MAX, exposition
from app.realtime.socket import websocket_endpoint
from app.rooms import service as rooms_service
from app.rooms.api import router as rooms_router
from app.security_headers import SecurityHeadersMiddleware
from app.web import GuardMiddleware, install_error_handlers, require_bearer

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def make_broker(settings: Settings) -> Broker:
    """In-process fan-out by default; Redis when REDIS_URL is set."""
    if settings.redis_url:
        from app.realtime.redis import RedisBroker

        return RedisBroker(settings.redis_url, prefix=settings.redis_prefix)
    return MemoryBroker()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; `uvicorn app.main:app` serves the default one."""
    settings = settings or get_settings()
    db = Database(settings.database_url, settings.durability, settings.writers)
    commands = CommandRegistry()
    board_handlers.register(commands)
    plenary_handlers.register(commands)
    if on_phase_change not in rooms_service.PHASE_HOOKS:
        rooms_service.PHASE_HOOKS.append(on_phase_change)
    if previous_summary not in rooms_service.SUMMARY_HOOKS:
        rooms_service.SUMMARY_HOOKS.append(previous_summary)
    broker = make_broker(settings)
    realtime = Realtime(
        db,
        broker,
        BoardGateway(),
        commands,
        replay_limit=settings.replay_limit,
        gap_wait_s=settings.gap_wait_ms / 1000,
        rate_per_s=settings.rate_per_s,
        rate_burst=settings.rate_burst,
    )

    builder = SynthesisBuilder(realtime, settings.synthesis_workers)
    desk = PollDesk(realtime, builder)
    commands.register("poll.answer", board_handlers.poll_answer, after=desk.answered, light=True)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        db.create_tables()
        db.start()
        await broker.start()
        realtime.hub.start()
        settle_garbage_collector()
        sweeper = asyncio.create_task(sweep_expired(realtime, settings))
        checkpointer = asyncio.create_task(db.keep_checkpointing())
        try:
            yield
        finally:
            sweeper.cancel()
            checkpointer.cancel()
            builder.close()
            await realtime.hub.stop()
            await broker.stop()
            db.checkpoint_sync()
            db.dispose()

    # The interactive docs load their scripts from a CDN, which our CSP forbids and a
    # public server should not need; the schema itself stays public (it is the contract).
    docs = settings.api_docs
    app = FastAPI(
        title="Plenary",
        version="2",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    app.state.settings = settings
    app.state.realtime = realtime
    app.state.synthesis_builder = builder
    app.state.on_phase_control = [builder.warm]  # the worker loads its language data early
    app.state.poll_desk = desk
    app.state.create_limiter = AddressLimiter(settings.create_rate, "new workshops")
    app.state.join_limiter = AddressLimiter(settings.join_rate, "joins")
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        GuardMiddleware,
        max_body=settings.max_body_bytes,
        allowed_origins=settings.allowed_origins,
        public_url=settings.public_url,
    )
    app.include_router(rooms_router)
    app.include_router(boards_router)
    app.include_router(synthesis_router)
    app.include_router(poll_router)
    app.include_router(pages_router)
    app.add_api_websocket_route("/ws/{workshop_id}", websocket_endpoint)
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_api_route("/metrics", metrics, include_in_schema=False)
    QUEUED_FRAMES.set_function(lambda: sum(c.queue_depth for c in realtime.hub.connections))
    QUEUED_MAX.set_function(
        lambda: max((c.queue_depth for c in realtime.hub.connections), default=0)
    )
    if not logging.getLogger().handlers:
        logging.config.dictConfig(LOG_CONFIG)
    return app


def settle_garbage_collector() -> None:
    """Keep the collector's full passes off the hot path.

    With CPython's default thresholds a server holding 1,000 sockets ran a full
    collection every few seconds, each stopping the event loop for 200-300 ms
    (the p99 of every latency). Freezing what startup built takes it out of
    every pass; a larger first threshold lets short-lived command objects die
    by refcount before a pass can promote them. Measured in docs/benchmarks.md.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


async def sweep_expired(realtime: Realtime, settings: Settings) -> None:
    """Delete workshops older than PLENARY_RETENTION_DAYS, now and then (0 keeps them)."""
    if settings.retention_days <= 0:
        return
    while True:
        try:
            expired = await realtime.db.read(
                lambda s: expired_workshops(s, settings.retention_days)
            )
            for workshop_id in expired:
                await realtime.db.write(partial(erase_workshop, workshop_id=workshop_id))
                realtime.hub.close_workshop(workshop_id)
                logging.getLogger("plenary").info("retention: deleted workshop %s", workshop_id)
        except Exception:
            logging.getLogger("plenary").exception("retention sweep failed")
        await asyncio.sleep(settings.retention_check_s)


async def metrics(request: Request) -> Response:
    """Prometheus metrics of this process (with PLENARY_METRICS_TOKEN set, for its holder only)."""
    require_bearer(request, request.app.state.settings.metrics_token, "Reading metrics")
    return Response(exposition(), media_type="text/plain; version=0.0.4")


app = create_app()
