"""A whole session in headless Chromium: create, join, write, vote, cross, stories, poll,
project; screenshots of every page at both sizes, in each phase."""

import re
from pathlib import Path

import httpx
from playwright.async_api import Browser, Page, expect

from tests.e2e.helpers import (
    PHONE,
    PROJECTOR,
    add_note,
    fits_phone_and_is_labelled,
    join,
    no_js_errors,
    person,
    shoot,
    watch_errors,
)
from tests.support.server import ServerProcess


async def both_sizes(page: Page, name: str) -> None:
    """A phone screenshot and a 1920 px one of the same moment."""
    await shoot(page, f"{name}-phone")
    await page.set_viewport_size(PROJECTOR)
    await shoot(page, f"{name}-projector")
    await page.set_viewport_size(PHONE)


async def test_a_whole_session(web: ServerProcess, browser: Browser, artifacts: Path) -> None:
    mod_context, home = await person(browser, PROJECTOR)
    await home.goto(web.base_url + "/")
    await shoot(home, "home-projector")
    await home.fill("input[name=title]", "Werk in 2030")
    await home.fill("textarea[name=question]", "Hoe ziet mijn werk eruit in december 2030?")
    await home.select_option("select[name=method]", "scenario")
    await home.fill("input[name=rooms]", "2")
    await home.check("input[name=room_choice]")
    await home.click("#create-form button[type=submit]")
    await expect(home.locator("#created")).to_be_visible()
    moderate_link = await home.locator("#link-moderate").get_attribute("href")
    plenary_link = await home.locator("#link-plenary").get_attribute("href")
    join_link = await home.locator("#link-join").get_attribute("href")
    assert moderate_link and plenary_link and join_link and "#token=" in moderate_link
    qr = await home.locator("#qr").get_attribute("src")
    qr_svg = httpx.get(web.base_url + str(qr)).text
    assert qr_svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in qr_svg
    assert await home.locator("#qr").evaluate("img => img.naturalWidth") > 0

    console = await mod_context.new_page()
    watch_errors(console)
    await console.goto(moderate_link)
    assert "token" not in console.url  # the fragment is read, then wiped from the address bar
    await expect(console.locator(".tile")).to_have_count(2)
    _proj_context, plenary = await person(browser, PROJECTOR)
    await plenary.goto(plenary_link)
    await expect(plenary.locator("#v-join")).to_be_visible()

    _c, joining = await person(browser)
    await joining.goto(join_link)
    await expect(joining.locator("#room-choice")).to_be_visible()
    await both_sizes(joining, "join")
    anna = await join(browser, join_link, "Anna", "Groep 1")
    bram = await join(browser, join_link, "Bram", "Groep 1")
    cor = await join(browser, join_link, "Cor", "Groep 2")
    await both_sizes(anna, "board-lobby")

    async def phase(name: str, label: str) -> None:
        await console.select_option("#phase-select", name)
        await console.click("#phase-set")
        if name == "closed":  # the workshop's end is asked first
            await console.locator(".confirm").get_by_role("button", name="Ja").click()
        await expect(anna.locator("#phase-name")).to_have_text(label)

    await phase("collect", "Verzamelen")
    for page, text in (
        (anna, "Thuiswerken blijft"),
        (bram, "Vergrijzing van het personeel"),
        (anna, "AI schrijft de notulen"),
        (cor, "Working from home stays"),
        (cor, "Krapte op de arbeidsmarkt"),
    ):
        await add_note(page, text)
    await expect(anna.locator(".note:not(.pending)")).to_have_count(3)
    await expect(anna.locator(".note .text", has_text="Working from home")).to_have_count(0)
    await both_sizes(anna, "board-collect")
    markup = "<b>vet</b> & <img src=x onerror=alert(1)>"
    await add_note(anna, markup)
    shown = bram.locator(".note .text", has_text="<b>vet</b>")
    await expect(shown).to_have_text(markup)
    assert await bram.locator(".note .text b, .note img").count() == 0

    await phase("cluster", "Clusteren")
    await anna.fill("#cluster-title", "Werkvormen")
    await anna.press("#cluster-title", "Enter")
    column = anna.locator(".column", has=anna.locator("h3", has_text="Werkvormen"))
    await expect(column).to_be_visible()
    await (
        anna.locator(".note", has_text="Thuiswerken")
        .get_by_role("combobox")
        .select_option(label="Werkvormen")
    )
    await expect(column.locator(".note")).to_have_count(1)
    await anna.fill("#cluster-title", "Mensen")
    await anna.press("#cluster-title", "Enter")
    people = anna.locator(".column", has=anna.locator("h3", has_text="Mensen"))
    await expect(people).to_be_visible()
    await (
        anna.locator(".note", has_text="Vergrijzing")
        .get_by_role("combobox")
        .select_option(label="Mensen")
    )
    await expect(people.locator(".note")).to_have_count(1)
    await both_sizes(anna, "board-cluster")

    await phase("rate", "Stemmen")
    for page in (anna, bram):
        vote = page.locator(".vote", has_text="Werkvormen")
        await vote.locator(".scale").nth(0).get_by_role("button").nth(3).click()
        await vote.locator(".scale").nth(1).get_by_role("button").nth(2).click()
        vote = page.locator(".vote", has_text="Mensen")
        await vote.locator(".scale").nth(0).get_by_role("button").nth(2).click()
        await vote.locator(".scale").nth(1).get_by_role("button").nth(4).click()
    await expect(anna.locator(".vote", has_text="Werkvormen").locator(".tally")).to_contain_text(
        "2 stemmen"
    )
    for page in (cor,):
        for k in range(2):
            vote = page.locator(".vote").nth(k)
            await vote.locator(".scale").nth(0).get_by_role("button").nth(3 + k).click()
            await vote.locator(".scale").nth(1).get_by_role("button").nth(4 - k).click()
    await both_sizes(anna, "board-rate")

    await console.click("#build")
    # The first build starts the synthesis worker process: give it time on a busy machine.
    await expect(console.locator("#items > li").first).to_be_visible(timeout=30_000)
    await phase("plot", "Scenariokruis")
    await anna.select_option("#axis-x", label="Werkvormen")
    await expect(anna.locator("#pole-x-low")).to_be_enabled()
    await anna.select_option("#axis-y", label="Mensen")
    await expect(anna.locator("#pole-y-low")).to_be_enabled()
    for field, pole in (
        ("#pole-x-low", "op kantoor"),
        ("#pole-x-high", "overal"),
        ("#pole-y-low", "weinig"),
        ("#pole-y-high", "veel"),
    ):
        await anna.fill(field, pole)
        await anna.press(field, "Tab")
    await expect(bram.locator("#cross .q-hh .quad-name")).to_have_text("overal · veel")
    await expect(bram.locator("#cross .pole.right")).to_contain_text("Werkvormen")
    await both_sizes(anna, "board-plot")

    await phase("story", "Verhalen")
    card = anna.locator("[data-quadrant=hh]")
    await card.locator("[name=title]").fill("Overal aan het werk")
    await card.locator("[name=metaphor]").fill("Een zwerm spreeuwen")
    await card.locator("[name=text]").fill("Iedereen werkt waar het uitkomt; de assistent regelt.")
    await card.locator("[name=text]").press("Tab")
    for trait in ("flexibel", "digitaal"):
        await card.locator(".trait-add input").fill(trait)
        await card.locator(".trait-add input").press("Enter")
    await expect(bram.locator("[data-quadrant=hh] .chip")).to_have_count(2)
    await both_sizes(anna, "board-story")

    await console.fill("#poll-question", "Wat neem je mee naar maandag?")
    await console.click("#poll-form button[type=submit]")
    await expect(anna.locator("#poll")).to_be_visible()
    await anna.locator("#poll textarea").fill("Eerst de agenda opschonen")
    await anna.locator("#poll").get_by_role("button", name="Verstuur antwoord").click()
    await expect(anna.locator("#poll .poll-status")).to_contain_text("ontvangen")
    await both_sizes(anna, "board-poll")
    await expect(plenary.locator("#v-poll")).to_be_visible()
    await expect(plenary.locator(".p-bar")).to_have_count(1)
    await shoot(plenary, "plenary-poll-open-projector", full_page=False)
    await console.click("#poll-close")

    await console.locator("#views input[value=items]").check()
    item = plenary.locator("#p-items li", has_text="Thuiswerken blijft")
    await expect(item).to_be_visible()
    await expect(item.locator(".room-badge")).to_have_count(2)  # both rooms raised it
    await expect(item.locator(".score")).to_contain_text("impact 4,0")
    await shoot(plenary, "plenary-projector", full_page=False)
    await shoot(console, "moderate-projector")

    # A live edit in the console reaches the projection without a reload.
    first = console.locator("#items > li").filter(
        has=console.locator(".title-edit input[value='Thuiswerken blijft']")
    )
    await first.locator(".title-edit input:not([type=checkbox])").fill("Hybride werken blijft")
    await first.get_by_role("button", name="Hernoem").click()
    await expect(
        plenary.locator("#p-items li .p-title", has_text="Hybride werken blijft")
    ).to_be_visible()
    await console.locator("#views input[value=scenarios]").check()
    await expect(plenary.locator(".scen-room h2")).to_have_text("Groep 1")
    await shoot(plenary, "plenary-scenarios-two-rooms-projector", full_page=False)

    await phase("closed", "Afgesloten")
    await both_sizes(anna, "board-closed")
    await console.set_viewport_size(PHONE)
    await shoot(console, "moderate-phone")
    await fits_phone_and_is_labelled(console)
    await plenary.set_viewport_size(PHONE)
    await shoot(plenary, "plenary-phone", full_page=False)
    width = await plenary.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    await fits_phone_and_is_labelled(anna)
    no_js_errors(console, plenary, anna, bram, cor)
    assert re.search(r"/w/[^/]+/plenary$", plenary.url)


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
        page = await join(browser, f"{web.base_url}/join/{created['join_code']}", "Eva")
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
