"""A whole session in headless Chromium: create, join, write, vote, merge, project."""

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from tests.conftest import service_missing
from tests.support.server import ServerProcess

CHROMIUM = os.environ.get("PLENARY_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Any:
    db = tmp_path_factory.mktemp("e2e") / "plenary.db"
    proc = ServerProcess(f"sqlite:///{db}", artifacts / "e2e-server.log").start()
    yield proc
    proc.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        service_missing("Chromium", f"{CHROMIUM} not found")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        await browser.close()


async def person(browser: Browser, viewport: dict[str, int] = PHONE) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(viewport=viewport, locale="nl-NL")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    return context, page


async def shoot(page: Page, artifacts: Path, name: str) -> None:
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    await page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


async def join(browser: Browser, link: str, name: str, room: str | None) -> Page:
    _context, page = await person(browser)
    await page.goto(link)
    await page.fill("input[name=name]", name)
    if room is not None:
        await page.select_option("select[name=room]", label=room)
    await page.click("button[type=submit]")
    await page.wait_for_url(re.compile(r"/w/.+/room/"))
    await expect(page.locator("#status")).to_have_text("Verbonden")
    return page


async def add_note(page: Page, text: str) -> None:
    await page.fill("#note-text", text)
    await page.press("#note-text", "Enter")


async def test_a_whole_session(web: ServerProcess, browser: Browser, artifacts: Path) -> None:
    mod_context, home = await person(browser, PROJECTOR)
    await home.goto(web.base_url + "/")
    await shoot(home, artifacts, "home-projector")
    await home.fill("input[name=title]", "Werk in 2030")
    await home.fill("textarea[name=question]", "Hoe ziet mijn werk eruit in december?")
    await home.select_option("select[name=method]", "scenario")
    await home.fill("input[name=rooms]", "2")
    await home.check("input[name=room_choice]")
    await home.click("button[type=submit]")
    await expect(home.locator("#created")).to_be_visible()
    moderate_link = await home.locator("#link-moderate").get_attribute("href")
    plenary_link = await home.locator("#link-plenary").get_attribute("href")
    join_link = await home.locator("#link-join").get_attribute("href")
    assert moderate_link and plenary_link and join_link and "#token=" in moderate_link
    qr = await home.locator("#qr").get_attribute("src")
    qr_svg = httpx.get(web.base_url + qr).text
    assert qr_svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in qr_svg
    assert await home.locator("#qr").evaluate("img => img.naturalWidth") > 0

    console = await mod_context.new_page()
    await console.goto(moderate_link)
    assert "token" not in console.url  # the fragment is read, then wiped from the address bar
    await expect(console.locator(".tile")).to_have_count(2)

    anna = await join(browser, join_link, "Anna", "Groep 1")
    bram = await join(browser, join_link, "Bram", "Groep 1")
    cor = await join(browser, join_link, "Cor", "Groep 2")
    await shoot(anna, artifacts, "board-lobby-phone")

    await console.select_option("#phase-select", "collect")
    await console.click("#phase-set")
    await expect(anna.locator("#phase-name")).to_have_text("Verzamelen")

    await add_note(anna, "Thuiswerken blijft")
    await expect(bram.locator(".note .text", has_text="Thuiswerken blijft")).to_be_visible()
    await add_note(bram, "Vergrijzing van het personeel")
    await expect(
        anna.locator(".note .text", has_text="Vergrijzing van het personeel")
    ).to_be_visible()
    await add_note(cor, "Working from home stays")
    await expect(anna.locator(".note .text", has_text="Working from home stays")).to_have_count(0)

    markup = "<b>vet</b> & <img src=x onerror=alert(1)>"
    await add_note(anna, markup)
    shown = bram.locator(".note .text", has_text="<b>vet</b>")
    await expect(shown).to_have_text(markup)
    assert await bram.locator(".note .text b, .note img").count() == 0

    # Bram's connection drops; he types a note meanwhile; it arrives once when he is back.
    await bram.context.set_offline(True)
    await bram.evaluate("window.plenarySocket.ws.close()")
    await expect(bram.locator("#status")).to_contain_text("Verbinding kwijt")
    await add_note(bram, "Geschreven in de tunnel")
    await expect(bram.locator("#status")).to_contain_text("wacht op verbinding")
    await shoot(bram, artifacts, "board-offline-phone")
    await bram.context.set_offline(False)
    await expect(bram.locator("#status")).to_have_text("Verbonden", timeout=15_000)
    await expect(anna.locator(".note .text", has_text="Geschreven in de tunnel")).to_have_count(1)
    await bram.wait_for_timeout(500)
    await expect(anna.locator(".note .text", has_text="Geschreven in de tunnel")).to_have_count(1)
    await shoot(anna, artifacts, "board-collect-phone")

    await console.select_option("#phase-select", "rate")
    await console.click("#phase-set")
    await expect(anna.locator("#rate")).to_be_visible()
    for page in (anna, bram):
        vote = page.locator(".vote", has_text="Thuiswerken blijft")
        await vote.locator(".scale").nth(0).get_by_role("button", name="4").click()
        await vote.locator(".scale").nth(1).get_by_role("button", name="3").click()
    await expect(
        anna.locator(".vote", has_text="Thuiswerken blijft").locator(".tally")
    ).to_contain_text("2 stemmen")
    await shoot(anna, artifacts, "board-rate-phone")

    _proj_context, plenary = await person(browser, PROJECTOR)
    await plenary.goto(plenary_link)
    await expect(plenary.locator("#p-empty")).to_be_visible()
    await console.click("#build")
    item = plenary.locator("#p-items li", has_text="Thuiswerken blijft")
    await expect(item).to_be_visible()
    await expect(item.locator(".room-badge")).to_have_count(2)  # both rooms raised it
    await expect(item).to_contain_text("Impact 4.0 (n=2)")
    await expect(item.locator(".room-badge").first).to_have_text("Groep 1")
    await expect(console.locator("#items > li")).not_to_have_count(0)
    await shoot(plenary, artifacts, "plenary-projector")
    await shoot(console, artifacts, "moderate-projector")

    # A live edit in the console reaches the projection without a reload.
    first = console.locator("#items > li").filter(
        has=console.locator(".title-edit input[value='Thuiswerken blijft']")
    )
    await first.locator(".title-edit input:not([type=checkbox])").fill("Hybride werken blijft")
    await first.get_by_role("button", name="Hernoem").click()
    await expect(
        plenary.locator("#p-items li .p-title", has_text="Hybride werken blijft")
    ).to_be_visible()

    await console.set_viewport_size(PHONE)
    await shoot(console, artifacts, "moderate-phone")
    await fits_phone_and_is_labelled(console)
    await plenary.set_viewport_size(PHONE)
    await shoot(plenary, artifacts, "plenary-phone")
    await fits_phone_and_is_labelled(plenary)
    await fits_phone_and_is_labelled(anna)
    await anna.set_viewport_size(PROJECTOR)
    await shoot(anna, artifacts, "board-projector")


async def test_pages_are_keyboard_reachable_and_labelled(
    web: ServerProcess, browser: Browser
) -> None:
    _context, page = await person(browser)
    await page.goto(web.base_url + "/")
    unlabelled = await page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => !el.closest('label') && !el.getAttribute('aria-label')).length"""
    )
    assert unlabelled == 0
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused.strip() in ("Naar de inhoud", "Skip to content")
    response = await page.request.get(web.base_url + "/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


async def fits_phone_and_is_labelled(page: Page) -> None:
    """No sideways scrolling at 360 px, and every control has a label."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"
    unlabelled = await page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter(el => el.offsetParent !== null)
        .filter(el => !el.closest('label') && !el.getAttribute('aria-label'))
        .filter(el => !el.textContent.trim())
        .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert unlabelled == []


async def test_clustering_by_drag_and_by_keyboard(web: ServerProcess, browser: Browser) -> None:
    async with httpx.AsyncClient(base_url=web.base_url) as http:
        created = (
            await http.post(
                "/api/workshops",
                json={
                    "title": "Clusters",
                    "question": "Wat speelt er?",
                    "method": "scenario",
                    "rooms": 1,
                    "language": "nl",
                },
            )
        ).json()
        auth = {"Authorization": f"Bearer {created['moderator_token']}"}
        await http.post(
            f"/api/workshops/{created['id']}/phase", json={"phase": "collect"}, headers=auth
        )
        page = await join(browser, f"{web.base_url}/join/{created['join_code']}", "Eva", None)
        for text in ("Robots", "Chatbots", "Vergrijzing"):
            await add_note(page, text)
        await expect(page.locator(".note")).to_have_count(3)
        await http.post(
            f"/api/workshops/{created['id']}/phase", json={"phase": "cluster"}, headers=auth
        )
        await expect(page.locator("#cluster-tools")).to_be_visible()
        await page.fill("#cluster-title", "Technologie")
        await page.press("#cluster-title", "Enter")
        cluster = page.locator(".column", has=page.locator("h3", has_text="Technologie"))
        await expect(cluster).to_be_visible()
        # Keyboard: the note's own menu.
        robots = page.locator(".note", has_text="Robots")
        await robots.get_by_role("combobox").select_option(label="Technologie")
        await expect(cluster.locator(".note", has_text="Robots")).to_be_visible()
        # Mouse: drag a note onto the cluster's column. Both must be on screen: a scroll
        # between mouse-down and the first move would start the drag on another card.
        await page.set_viewport_size({"width": 800, "height": 1200})
        await page.locator(".note", has_text="Chatbots").drag_to(cluster)
        await expect(cluster.locator(".note")).to_have_count(2)
        await page.set_viewport_size(PHONE)
        await fits_phone_and_is_labelled(page)
        # The workshop is Dutch; the switch turns the page to English.
        await expect(page.locator("#phase-name")).to_have_text("Clusteren")
        await page.select_option("#lang-switch", "en")
        await expect(page.locator("#phase-name")).to_have_text("Cluster")
        await expect(page.locator("#instruction")).to_contain_text("Step 2")
        await expect(page.locator("#cluster-tools button")).to_have_text("Make cluster")
        board = (
            await http.get(
                f"/api/workshops/{created['id']}/rooms/{created['rooms'][0]['id']}/board",
                headers=auth,
            )
        ).json()
        members = board["clusters"][0]["note_ids"]
        texts = {n["id"]: n["text"] for n in board["notes"]}
        assert sorted(texts[m] for m in members) == ["Chatbots", "Robots"]
