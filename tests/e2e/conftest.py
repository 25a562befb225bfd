"""Browser-test fixtures: one server per test module, Debian's Chromium per test."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.conftest import service_missing
from tests.e2e.helpers import ARGS, CHROMIUM
from tests.support.server import ServerProcess


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[ServerProcess]:
    """A server of our own for the module's tests."""
    db = tmp_path_factory.mktemp("e2e") / "plenary.db"
    # Seeding a busy workshop sends hundreds of commands from one token at once.
    proc = ServerProcess(
        f"sqlite:///{db}",
        artifacts / "e2e-server.log",
        PLENARY_RATE_PER_S="1000",
        PLENARY_RATE_BURST="1000",
    ).start()
    yield proc
    proc.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium, as Debian ships it (never a downloaded build)."""
    if not Path(CHROMIUM).exists():
        service_missing("Chromium", f"{CHROMIUM} not found")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        await browser.close()
