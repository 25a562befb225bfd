"""Fixtures: a real server per storage backend (SQLite file, PostgreSQL database)."""

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.db import Database
from tests.support.client import Api
from tests.support.server import ServerProcess

PG_ADMIN_URL = os.environ.get("PLENARY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def service_missing(what: str, why: Exception | str) -> None:
    """Fail under REQUIRE_SERVICES=1, skip otherwise."""
    message = f"{what} is not available: {why}"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class PgDatabase:
    """A throw-away PostgreSQL database."""

    url: str
    name: str


def make_pg_database() -> PgDatabase:
    """Create a database of our own on the local PostgreSQL."""
    import psycopg

    name = f"plenary_t_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        service_missing("PostgreSQL", exc)
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return PgDatabase(url=f"{base}/{name}", name=name)


def drop_pg_database(db: PgDatabase) -> None:
    """Drop a throw-away database (and whoever is still connected to it)."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')


@pytest.fixture
def pg_database() -> Iterator[Database]:
    """Storage on a throw-away PostgreSQL database, tables created."""
    made = make_pg_database()
    db = Database(made.url.replace("postgresql://", "postgresql+psycopg://", 1))
    db.create_tables()
    try:
        yield db
    finally:
        db.dispose()
        drop_pg_database(made)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave logs and screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """The storage backend a server runs on."""
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of the backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'plenary.db'}"
        return
    db = make_pg_database()
    try:
        yield db.url
    finally:
        drop_pg_database(db)


@pytest.fixture(scope="session")
def server(
    backend: str, tmp_path_factory: pytest.TempPathFactory, artifacts: Path
) -> Iterator[ServerProcess]:
    """One server per backend for the whole session; tests make their own workshops."""
    pg: PgDatabase | None = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'plenary.db'}"
    else:
        pg = make_pg_database()
        url = pg.url
    proc = ServerProcess(
        url, artifacts / f"server-{backend}.log", PLENARY_HELLO_TIMEOUT="2"
    ).start()
    try:
        yield proc
    finally:
        proc.stop()
        if pg is not None:
            drop_pg_database(pg)


@pytest.fixture
async def api(server: ServerProcess) -> AsyncIterator[Api]:
    """An HTTP client of the shared server."""
    client = Api(server.base_url)
    yield client
    await client.close()


@pytest.fixture
async def workshop(api: Api) -> dict[str, Any]:
    """A fresh free-method workshop with two rooms, moved to `open`."""
    created = await api.create()
    response = await api.control(
        created["moderator_token"], f"/api/workshops/{created['id']}/phase", {"phase": "open"}
    )
    assert response.status_code == 200
    return created
