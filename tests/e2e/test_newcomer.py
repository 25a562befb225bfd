"""What a new user ran into: no place to type a code, pages opened without their key, a
new phase missed further down the page, silent cuts, plurals, quadrants broken mid-word."""

import asyncio
import re

import httpx
from playwright.async_api import Browser, Page, expect

from tests.e2e.helpers import (
    PROJECTOR,
    Workshop,
    add_note,
    eventually,
    fits_phone_and_is_labelled,
    join,
    no_js_errors,
    person,
    shoot,
    until,
    watch_errors,
)
from tests.support.client import Peer
from tests.support.server import ServerProcess


async def test_a_code_can_be_typed_on_home_and_on_join(
    web: ServerProcess, browser: Browser
) -> None:
    """Finding 2: the code from the screen, typed any way, leads to the name form."""
    w = Workshop.create(web.base_url, rooms=1)
    _c, page = await person(browser)
    await page.goto(web.base_url + "/")
    await expect(page.locator("#join-h")).to_have_text("Meedoen met een code")
    await page.click("#code-form button[type=submit]")
    await expect(page.locator("#code-error")).to_have_text("Vul de code in.")
    await page.fill("#code-form input[name=code]", "nope-nope")
    await page.press("#code-form input[name=code]", "Enter")
    await expect(page.locator("#code-error")).to_contain_text("Deze code kennen we niet")
    await expect(page).to_have_url(web.base_url + "/")  # nothing happened but the message
    typed = f" {w.code[:4].lower()}-{w.code[4:].lower()} "  # as people type it from a wall
    await page.fill("#code-form input[name=code]", typed)
    await page.press("#code-form input[name=code]", "Enter")
    await page.wait_for_url(re.compile(f"/join/{w.code}$"))
    await expect(page.locator("#w-title")).to_have_text("Werk in 2030")
    await expect(page.locator("input[name=name]")).to_be_visible()

    # /join itself asks for the code; the whole join link pasted works too.
    await page.goto(web.base_url + "/join")
    await expect(page.locator("#join-form")).to_be_hidden()
    await fits_phone_and_is_labelled(page)
    await shoot(page, "join-code-phone")
    await page.fill("#code-form input[name=code]", w.join_link)
    await page.click("#code-form button[type=submit]")
    await page.wait_for_url(re.compile(f"/join/{w.code}$"))
    # An empty name is named beside its field, in the workshop's language.
    await page.click("#join-form button[type=submit]")
    await expect(page.locator("#name-error")).to_have_text("Vul je naam in.")
    await expect(page.locator("input[name=name]")).to_be_focused()
    no_js_errors(page)


async def test_a_mistyped_address_is_a_page_and_the_api_keeps_its_json(
    web: ServerProcess, browser: Browser
) -> None:
    """A trial's finding: /jion/<code> and /w/<id> showed raw JSON. Browsers get a 404 page
    in their language with the ways on; the API answers as docs/protocol.md says."""
    w = Workshop.create(web.base_url, rooms=1)
    _c, page = await person(browser)
    for path in ("/jion/ZNEP4C7N", f"/w/{w.id}"):
        answer = await page.goto(web.base_url + path)
        assert answer and answer.status == 404 and "text/html" in answer.headers["content-type"]
        await expect(page.locator("h1")).to_have_text("Deze pagina bestaat niet")
        await expect(page.locator("main")).to_contain_text("verkeerd getypt")
    await expect(page.locator("main a[href='/join']")).to_have_text("Meedoen met een code")
    await expect(page.locator("main a[href='/']")).to_have_text("Naar de startpagina")
    await fits_phone_and_is_labelled(page)
    await shoot(page, "not-found-phone")
    await page.click("main a[href='/join']")
    await expect(page.locator("#code-form")).to_be_visible()
    _c, english = await person(browser, locale="en-GB")
    await english.goto(web.base_url + "/jion/ZNEP4C7N")
    await expect(english.locator("h1")).to_have_text("This page does not exist")
    await expect(english.locator("main a[href='/']")).to_have_text("To the home page")
    # The API and the socket path keep their JSON errors, whatever the Accept header says.
    browser_accept = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    json_404 = {"error": {"code": "not_found", "message": "Not Found"}}
    for path in ("/api/nothing", "/ws/nothing", "/jion/ZNEP4C7N"):
        plain = httpx.get(web.base_url + path)
        assert plain.status_code == 404 and plain.json() == json_404, path
    for path in ("/api/nothing", "/ws/nothing"):
        asked = httpx.get(web.base_url + path, headers=browser_accept)
        assert asked.status_code == 404 and asked.json() == json_404, path
    missing = httpx.get(f"{web.base_url}/api/workshops/nope", headers={**browser_accept, **w.auth})
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
    posted = httpx.post(web.base_url + "/jion/ZNEP4C7N", headers=browser_accept)
    assert posted.status_code in (404, 405) and "error" in posted.json()
    no_js_errors(page, english)


async def test_pages_without_their_key_say_which_link_they_need(
    web: ServerProcess, browser: Browser
) -> None:
    """Finding 3: console, projection, report and board opened bare explain themselves."""
    w = Workshop.create(web.base_url, rooms=1)
    _c, page = await person(browser, PROJECTOR)
    cases = [
        (f"/w/{w.id}/moderate", "Deze pagina heeft je moderatorlink nodig"),
        (f"/w/{w.id}/plenary", "Deze projectie heeft een projectielink nodig"),
        (f"/w/{w.id}/report", "Dit rapport heeft je moderatorlink nodig"),
        (f"/w/{w.id}/room/{w.rooms[0]['id']}", "Je doet nog niet mee in deze workshop"),
    ]
    for path, title in cases:
        await page.goto(web.base_url + path)
        await expect(page.locator(".needs-link h1")).to_have_text(title)
        await expect(page.locator(".needs-link a[href='/join']")).to_have_text(
            "Meedoen met een code"
        )
        # Only the message is on screen: no empty controls around it.
        shown = await page.evaluate(
            "[...document.querySelectorAll('#main > *')]"
            ".filter(e => e.getClientRects().length).length"
        )
        assert shown == 1, path
    await shoot(page, "console-without-link")
    # A key that is wrong says so too, besides which link is needed.
    await page.goto(f"{web.base_url}/w/{w.id}/plenary#token=wrong")
    await expect(page.locator(".needs-link")).to_contain_text("Deze link is niet (meer) geldig")
    await page.goto(f"{web.base_url}/w/{w.id}/moderate#token=wrong")
    await expect(page.locator(".needs-link")).to_contain_text("Deze link is niet (meer) geldig")
    no_js_errors(page)


async def says_the_workshop_is_gone(page: Page) -> None:
    """One sentence and a way home, nothing about links or joining."""
    card = page.locator(".needs-link")
    await expect(card.locator("h1")).to_have_text("Deze workshop bestaat niet meer.")
    await expect(card.locator("a[href='/']")).to_have_text("Naar de startpagina")
    text = await page.locator("body").inner_text()
    for confusing in ("nog niet mee", "niet (meer) geldig", "moderatorlink", "Meld je eerst"):
        assert confusing not in text, (page.url, confusing, text)
    shown = await page.evaluate(
        "[...document.querySelectorAll('#main > *')].filter(e => e.getClientRects().length).length"
    )
    assert shown == 1, page.url


async def test_a_deleted_workshop_says_so_everywhere_live_and_after_a_reload(
    web: ServerProcess, browser: Browser
) -> None:
    """A trial's finding: after a deletion the phone said 'not in this workshop yet', 'link
    not valid' and 'join first'; the moderator read 'needs your moderator link'."""
    w = Workshop.create(web.base_url, rooms=1)
    w.phase("collect")
    phone = await join(browser, w.join_link, "Anna")
    # Bea's phone is off while the workshop is deleted: her page opens on a dead key later.
    bea = await join(browser, w.join_link, "Bea")
    bea_room = bea.url
    bea_context = bea.context
    await bea.close()
    _c, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    await expect(wall.locator("#p-join-code")).to_have_text(w.code)
    _c, console = await person(browser, {"width": 1200, "height": 900})
    await console.goto(w.console)
    await expect(console.locator("#status")).to_have_text("Verbonden")
    await console.click("#delete-workshop")
    await console.locator(".confirm").get_by_role("button", name="Ja").click()
    for page in (console, phone, wall):
        await says_the_workshop_is_gone(page)
    await expect(phone.locator("#status")).to_have_text("")
    await shoot(phone, "workshop-gone-phone")
    for page in (console, phone, wall):
        await page.reload()
        await says_the_workshop_is_gone(page)
    bea = await bea_context.new_page()
    watch_errors(bea)
    await bea.goto(bea_room)
    await says_the_workshop_is_gone(bea)
    no_js_errors(console, phone, wall, bea)


async def task_in_view(page: Page) -> bool:
    """The top of the phase's task is on the screen."""
    top = await page.evaluate("document.getElementById('task').getBoundingClientRect().top")
    height = await page.evaluate("innerHeight")
    return bool(0 <= top < height)


async def test_a_new_phase_reaches_a_phone_scrolled_down(
    web: ServerProcess, browser: Browser
) -> None:
    """Finding 1: the page goes to the new task; while typing a bar offers the way."""
    w = Workshop.create(web.base_url, rooms=1)
    w.phase("collect")
    page = await join(browser, w.join_link, "Gijs")
    for i in range(14):
        await add_note(page, f"Trend nummer {i} over hybride werken en de kantoren")
    await expect(page.locator(".note")).to_have_count(14)
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert not await task_in_view(page)
    page_locator = page.locator("#to-task")

    # Reading, not typing: the page scrolls to the new task by itself.
    w.phase("rate")
    await expect(page.locator("#phase-name")).to_have_text("Stemmen")
    await until(
        page,
        "document.getElementById('task').getBoundingClientRect().top < innerHeight * 0.6"
        " && document.getElementById('task').getBoundingClientRect().top >= 0",
    )
    await expect(page_locator).to_be_hidden()

    # Typing further down (a note's edit box): nothing jumps, a bar says what is new.
    w.phase("collect")
    await expect(page.locator("#phase-name")).to_have_text("Verzamelen")
    await page.locator(".note").last.get_by_role("button", name="Bewerk").click()
    editor = page.locator(".note textarea").last
    await expect(editor).to_be_focused()
    assert not await task_in_view(page)
    w.phase("cluster")
    await expect(page_locator).to_have_text("Nieuwe fase: Clusteren — naar de opdracht")
    await expect(editor).to_be_focused()  # the typing goes on undisturbed
    await shoot(page, "board-new-phase-bar-phone", full_page=False)
    assert not await task_in_view(page)
    await page_locator.click()
    # The new phase from its name, timer and instruction, with its task right under them.
    await until(
        page,
        "Math.abs(document.getElementById('phasebar').getBoundingClientRect().top) < 60"
        " && document.getElementById('task').getBoundingClientRect().top < innerHeight * 0.6",
    )
    await expect(page_locator).to_be_hidden()
    await expect(page.locator("#task")).to_be_focused()

    # A poll opened while reading below: the poll comes into view.
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    w.post("/polls", {"question": "Wat maakt je nu onzeker?", "kind": "open"})
    await expect(page.locator("#poll")).to_be_visible()
    await until(
        page,
        "(() => { const t = document.getElementById('poll').getBoundingClientRect().top;"
        " return t >= 0 && t < innerHeight * 0.6; })()",
    )
    no_js_errors(page)


async def test_limits_are_shown_and_a_cut_paste_is_said(
    web: ServerProcess, browser: Browser
) -> None:
    """Finding 7: a counter near the 280 limit, and a word when pasted text was cut."""
    w = Workshop.create(web.base_url, rooms=1)
    w.phase("collect")
    page = await join(browser, w.join_link, "Hanna")
    note = page.locator("#note-text")
    await note.fill("a" * 250)
    await expect(page.locator(".limit-count").first).to_have_text("250/280")
    # Full is said in words, not only in red (eleventh trial).
    await note.fill("a" * 280)
    await expect(page.locator(".limit-count").first).to_have_text("280/280: meer past er niet in")
    await note.fill("")
    await note.focus()
    long_text = "Ik " + "Thuiswerken verandert alles " * 15  # 423 characters
    await page.evaluate(
        """(text) => {
        const el = document.getElementById('note-text');
        const data = new DataTransfer(); data.setData('text/plain', text);
        el.dispatchEvent(new ClipboardEvent('paste',
          { clipboardData: data, bubbles: true, cancelable: true }));
        }""",
        long_text,
    )
    # Cut at the last whole word before 280 ("… verandert"), not in the middle of "alles".
    kept = long_text[:280].rsplit(" ", 1)[0]
    assert kept.endswith("Thuiswerken verandert") and len(kept) == 276
    assert await note.input_value() == kept
    await expect(page.locator(".limit-cut").first).to_have_text(
        "De geplakte tekst was te lang: alleen het begin (tot 280 tekens, tot het laatste"
        " hele woord) staat erin."
    )
    await expect(page.locator(".limit-count").first).to_have_text("276/280")
    await page.press("#note-text", "Enter")
    await expect(page.locator(".limit-cut").first).to_have_text("")
    board = w.board()
    assert [n["text"] for n in board["notes"]] == [kept]
    no_js_errors(page)


async def test_counts_agree_with_their_number_and_the_timer_ends_with_its_phase(
    web: ServerProcess, browser: Browser
) -> None:
    """Findings 5 and 8: "1 stem", "1 punt"; an ended timer goes with its phase."""
    w = Workshop.create(web.base_url, rooms=1)
    w.phase("collect")
    page = await join(browser, w.join_link, "Ilse")
    await add_note(page, "Minder vergaderen")
    await expect(page.locator(".note")).to_have_count(1)
    w.post("/timer", {"seconds": 1})
    await expect(page.locator("#timer")).to_have_text("De tijd is om!", timeout=6000)
    w.phase("rate")
    await expect(page.locator("#timer")).to_have_text("")
    await expect(page.locator("#timer")).not_to_have_class(re.compile("ended"))
    vote = page.locator(".vote", has_text="Minder vergaderen")
    await vote.locator(".scale").nth(0).get_by_role("button").nth(3).click()
    await vote.locator(".scale").nth(1).get_by_role("button").nth(1).click()
    await expect(vote.locator(".tally")).to_contain_text("(1 stem)")
    created = w.post(
        "/polls", {"question": "Wat eerst?", "kind": "rank", "options": ["A", "B"], "pick": 1}
    )
    poll = page.locator("#poll")
    await poll.get_by_role("button", name="Kies: A").click()
    await poll.get_by_role("button", name="Verstuur antwoord").click()
    await expect(poll.locator(".poll-status")).to_contain_text("ontvangen")
    w.post(f"/polls/{created['id']}/close")
    await expect(poll).to_contain_text("1 punt,")
    await expect(poll).to_contain_text("1 keer als eerste")
    aria = await page.locator("#notes").get_attribute("aria-label")
    assert aria == "Briefjes"
    no_js_errors(page)


async def test_quadrant_names_never_break_inside_a_word_on_a_phone(
    web: ServerProcess, browser: Browser
) -> None:
    """Finding 4: long poles ("automatisering") stay whole words at 360 px."""
    w = Workshop.create(web.base_url, rooms=1)
    w.phase("collect")
    page = await join(browser, w.join_link, "Joost")
    for text in ("Automatisering van taken", "Verbinding met collega's"):
        await add_note(page, text)
    await expect(page.locator(".note")).to_have_count(2)
    notes = w.board()["notes"]
    w.phase("plot")
    for axis, note, low, high in (
        ("x", notes[0], "handwerk", "automatisering"),
        ("y", notes[1], "onderhoudsgevoelig", "vanzelfsprekend"),
    ):
        await page.select_option(f"#axis-{axis}", note["id"])
        await page.fill(f"#pole-{axis}-low", low)
        await page.press(f"#pole-{axis}-low", "Tab")
        await page.fill(f"#pole-{axis}-high", high)
        await page.press(f"#pole-{axis}-high", "Tab")
    await expect(page.locator("#cross .q-hh .quad-name")).to_have_text(
        "automatisering · vanzelfsprekend"
    )
    # A word breaks only between syllables, where the page put a soft hyphen (shown as
    # "-"); each syllable stays on one line, and nothing is cut off.
    broken = await page.evaluate(
        """() => {
        const out = [];
        for (const el of document.querySelectorAll('#cross .quad-name')) {
          const node = el.firstChild, text = node.textContent;
          let last = null;  // [index, top] of the last letter seen
          for (let i = 0; i < text.length; i += 1) {
            if (text[i] === ' ' || text[i] === '\u00ad') continue;
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 1);
            // A letter after a soft-hyphen break also reports the hyphen's box on the line before.
            const top = Math.max(...[...range.getClientRects()].map(r => Math.round(r.top)));
            const between = last ? text.slice(last[0] + 1, i) : '';
            if (last && top > last[1] && !/[ \\u00ad]/.test(between))
              out.push(text.slice(Math.max(0, i - 4), i + 4));
            last = [i, top];
          }
        }
        return out;
        }"""
    )
    assert broken == []
    hyphenated = await page.locator("#cross .q-ll .quad-name").text_content()
    assert hyphenated and hyphenated.replace("\u00ad", "") == "handwerk · onderhoudsgevoelig"
    clipped = await page.evaluate(
        "[...document.querySelectorAll('#cross .quad-name')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
    )
    assert clipped == []
    # No votes yet: the chart says so instead of an empty frame.
    await expect(page.locator("#matrix .chart-empty")).to_have_text(
        "Nog geen stemmen: de grafiek vult zich zodra er gestemd is."
    )
    await fits_phone_and_is_labelled(page)
    await shoot(page, "board-cross-long-poles-phone")
    # Fourth trial: a scenario's title in the cross is fitted the same way, never cut.
    w.phase("story")
    peer = await Peer.connect(web.ws_url, w.id, w.mod, w.rooms[0]["id"])
    await peer.ok("story.edit", {"quadrant": "hh", "title": "Robotkantoorautomatisering"})
    await peer.close()
    title = page.locator("#cross .q-hh .quad-title")
    await expect(title).to_have_text(re.compile("Ro\u00adbot"))  # broken at syllables
    text, fits = await title.evaluate("e => [e.textContent, e.scrollWidth <= e.clientWidth + 1]")
    assert text.replace("\u00ad", "") == "Robotkantoorautomatisering" and fits, text
    no_js_errors(page)


async def test_projection_chart_scale_reads_from_the_back_row(
    web: ServerProcess, browser: Browser
) -> None:
    """Finding 6: the chart's scale numbers are at least 28 px on the wall, labels haloed."""
    w = Workshop.create(web.base_url, rooms=1)
    w.phase("collect")
    page = await join(browser, w.join_link, "Kees")
    await add_note(page, "Hybride werken")
    await expect(page.locator(".note")).to_have_count(1)
    w.phase("rate")
    vote = page.locator(".vote", has_text="Hybride werken")
    await vote.locator(".scale").nth(0).get_by_role("button").nth(4).click()
    await vote.locator(".scale").nth(1).get_by_role("button").nth(3).click()
    await expect(vote.locator(".tally")).to_contain_text("(1 stem)")
    w.post("/synthesis")
    _c, console = await person(browser, PROJECTOR)
    await console.goto(w.console)
    await console.locator("#views input[value=chart]").check()
    _c, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    await expect(wall.locator("#p-chart svg .label").first).to_be_visible()
    sizes = await wall.evaluate(
        "[...document.querySelectorAll('#p-chart svg .tick')]"
        ".map(e => e.getBoundingClientRect().height)"
    )
    assert len(sizes) == 6 and min(sizes) >= 28 * 0.7, sizes  # a glyph box: ~0.7 em for digits
    font = await wall.evaluate(
        "(() => { const e = document.querySelector('#p-chart svg .tick');"
        " const svg = e.ownerSVGElement;"
        " const k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;"
        " return parseFloat(e.getAttribute('font-size')) * k; })()"
    )
    assert font >= 28, font
    halo = await wall.locator("#p-chart svg .label").first.get_attribute("paint-order")
    assert halo == "stroke"
    no_js_errors(wall)


async def test_a_second_trial_locked_closed_scales_poles_and_menus(
    web: ServerProcess, browser: Browser
) -> None:
    """A second new user's trial: a locked board says why; a closed round shows no
    timer; the 1-5 scales say what they mean; unnamed poles are asked for on the board
    and flagged in the console; keys only browse a move menu, Enter acts."""
    w = Workshop.create(web.base_url, rooms=1)
    w.phase("collect")
    page = await join(browser, w.join_link, "Lotte")
    for text in ("Robots nemen taken over", "Thuiswerken blijft"):
        await add_note(page, text)
    await expect(page.locator(".note")).to_have_count(2)
    w.post(f"/rooms/{w.rooms[0]['id']}/lock", {"locked": True})
    await expect(page.locator("#locked-note")).to_have_text(
        "De moderator heeft dit bord vergrendeld: je kunt meelezen, maar nu niets veranderen."
    )
    w.post(f"/rooms/{w.rooms[0]['id']}/lock", {"locked": False})
    await expect(page.locator("#locked-note")).to_be_hidden()

    # Keys browse the cluster menu; Enter moves the note (never the first arrow press).
    w.phase("cluster")
    await page.fill("#cluster-title", "Techniek")
    await page.press("#cluster-title", "Enter")
    await page.fill("#cluster-title", "Werkplek")
    await page.press("#cluster-title", "Enter")
    menu = page.get_by_role("combobox", name="Naar cluster: Robots nemen taken over")
    await expect(menu.locator("option")).to_have_count(3)
    await expect(menu.locator("option").first).to_have_text("Naar cluster…")
    await menu.focus()
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("ArrowDown")
    werkplek = next(c["id"] for c in w.board()["clusters"] if c["title"] == "Werkplek")
    await expect(menu).to_have_value(werkplek)  # the keys did change the choice shown...
    await asyncio.sleep(0.3)
    assert all(n["cluster_id"] is None for n in w.board()["notes"])  # ...but moved nothing
    await page.keyboard.press("Enter")
    await eventually(lambda: any(n["cluster_id"] == werkplek for n in w.board()["notes"]))

    w.phase("rate")
    await expect(page.locator(".scale-key")).to_contain_text("1 = weinig invloed")
    await expect(page.locator(".scale-key")).to_contain_text("5 = niemand weet hoe het uitpakt")

    w.phase("plot")
    await page.select_option("#axis-x", index=1)
    await page.select_option("#axis-y", index=2)
    await expect(page.locator("#poles-missing")).to_contain_text("Geef beide uitersten")
    _c, console = await person(browser, PROJECTOR)
    await console.goto(w.console)
    await expect(console.locator(".tile .mini .warn")).to_have_text("uitersten nog zonder naam")
    for field, pole in (
        ("#pole-x-low", "weinig"),
        ("#pole-x-high", "veel"),
        ("#pole-y-low", "zwak"),
        ("#pole-y-high", "sterk"),
    ):
        await page.fill(field, pole)
        await page.press(field, "Tab")
    await expect(page.locator("#poles-missing")).to_be_hidden()
    await expect(console.locator(".tile .mini .warn")).to_have_count(0)

    w.post("/timer", {"seconds": 300})
    await expect(page.locator("#timer")).to_contain_text("nog ")
    w.phase("closed")
    await expect(page.locator("#timer")).to_be_hidden()  # a finished round has no clock
    no_js_errors(page, console)


async def test_a_keyboard_trial_in_english(web: ServerProcess, browser: Browser) -> None:
    """A keyboard-only trial of an English workshop: the home page follows an English
    browser; a scale is one Tab stop with arrows along it; keys only browse the axis and
    cluster menus (Escape puts them back) and the projection's views (Enter shows one);
    focus never falls to the page when what held it goes away."""
    _c, home = await person(browser, locale="en-GB")
    await home.goto(web.base_url + "/")
    await expect(home.locator("#join-h")).to_have_text("Join with a code")
    assert await home.locator("select[name=language]").input_value() == "en"

    w = Workshop.create(web.base_url, rooms=1, language="en")
    w.phase("collect")
    page = await join(browser, w.join_link, "Kim", status="Connected")
    for text in ("More AI assistants", "Hybrid work stays"):
        await add_note(page, text)
    await expect(page.locator(".note")).to_have_count(2)
    # Deleting the note in focus: focus goes to what is left nearby, not to the page.
    await (
        page.locator(".note", has_text="Hybrid work stays")
        .get_by_role("button", name="Delete")
        .focus()
    )
    await page.keyboard.press("Enter")
    # Asked first (seventh trial), with the safe answer in focus: one step back to "Yes".
    await expect(page.locator(".confirm")).to_contain_text("Delete this note?")
    await expect(page.locator(".confirm").get_by_role("button", name="No")).to_be_focused()
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(page.locator(".note")).to_have_count(1)
    await until(page, "document.activeElement !== document.body")

    w.phase("cluster")
    await page.fill("#cluster-title", "Technology")
    await page.press("#cluster-title", "Enter")
    menu = page.get_by_role("combobox", name="To cluster: More AI assistants")
    await expect(menu.locator("option")).to_have_count(2)
    await menu.focus()
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Escape")
    await page.keyboard.press("Tab")
    await asyncio.sleep(0.3)
    assert all(n["cluster_id"] is None for n in w.board()["notes"])  # Escape, then away

    w.phase("rate")
    first = page.get_by_role("button", name="Impact 1: Technology")
    await expect(first).to_have_attribute("tabindex", "0")
    await first.focus()
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("Enter")
    chosen = page.get_by_role("button", name="Impact 4: Technology")
    await expect(chosen).to_have_attribute("aria-pressed", "true")
    await page.keyboard.press("Tab")  # one stop on to the next scale
    focused = await page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Uncertainty 1: Technology", focused

    w.phase("plot")
    axis = page.locator("#axis-x")
    await axis.focus()
    await page.keyboard.press("ArrowDown")
    await asyncio.sleep(0.3)
    assert w.board()["axes"]["x"] is None  # browsing set nothing
    await page.keyboard.press("Enter")
    await eventually(lambda: w.board()["axes"]["x"] is not None)

    w.post("/synthesis")
    _c2, console = await person(browser, PROJECTOR, locale="en-GB")
    await console.goto(w.console)
    await expect(console.locator("#views")).to_contain_text("Scenarios per group")
    auto = console.locator("#views input[value=auto]")
    await expect(auto).to_be_checked()
    await auto.focus()
    await console.keyboard.press("ArrowDown")
    await console.keyboard.press("ArrowDown")
    await asyncio.sleep(0.3)
    assert w.get("/synthesis")["view"] == "auto"  # the wall did not flick through views
    await console.keyboard.press("Enter")
    await eventually(lambda: w.get("/synthesis")["view"] == "activity")
    no_js_errors(home, page, console)


async def test_a_third_trial_unsent_words_a_lock_far_down_and_small_keyboard_steps(
    web: ServerProcess, browser: Browser
) -> None:
    """Third trial, findings 4, 5 and polish: words typed when the phase closes are kept
    and said so; a lock reaches a phone scrolled down; an empty note says why nothing
    happened; Escape closes a message; a typed code leads straight to the name field."""
    w = Workshop.create(web.base_url, rooms=1)
    w.phase("collect")
    _c, page = await person(browser)
    await page.goto(f"{web.base_url}/join")
    await page.fill("#code-form input[name=code]", w.code)
    await page.press("#code-form input[name=code]", "Enter")
    await expect(page.locator("#join-form input[name=name]")).to_be_focused()
    await page.keyboard.type("Anouk")
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/w/.+/room/"))
    await expect(page.locator("#status")).to_have_text("Verbonden")

    await page.click("#add-form button[type=submit]")
    await expect(page.locator("#add-error")).to_have_text("Typ eerst iets op je briefje.")
    # Typing (or pasting) words ends it, before anything is sent (tenth trial).
    await page.fill("#note-text", "Iets")
    await expect(page.locator("#add-error")).to_be_empty()
    await page.fill("#note-text", "")
    for i in range(14):
        await add_note(page, f"Trend nummer {i} over hybride werken en de kantoren")
    await expect(page.locator(".note")).to_have_count(14)
    await expect(page.locator("#add-error")).to_be_empty()  # over once a note went out

    # A lock while reading far below: a bar says so; the page stays where it is.
    # Reading, not typing: a touch on the page (not on a control) leaves no focus behind.
    await page.evaluate(
        "document.body.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));"
        " document.activeElement.blur()"
    )
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    room = w.rooms[0]["id"]
    w.post(f"/rooms/{room}/lock", {"locked": True})
    bar = page.locator("#to-task")
    await expect(bar).to_have_text("De moderator heeft het bord vergrendeld — naar boven")
    await shoot(page, "board-locked-bar-phone", full_page=False)
    await bar.click()
    await expect(page.locator("#locked-note")).to_be_in_viewport()
    await expect(page.locator("#locked-note")).to_be_focused()
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    w.post(f"/rooms/{room}/lock", {"locked": False})
    await expect(page.locator("#locked")).to_be_hidden()
    await expect(bar).to_be_hidden()

    # Half a note when the phase moves on: kept, and said so, not silently hidden.
    await page.evaluate("window.scrollTo(0, 0)")
    await page.fill("#note-text", "Half getypt briefje")
    w.phase("rate")
    await expect(page.locator("#notice-text")).to_contain_text("briefje is nog niet verstuurd")
    await expect(page.locator("#notice-text")).to_contain_text("«Half getypt briefje»")
    await shoot(page, "board-unsent-note-phone", full_page=False)
    w.phase("collect")
    await expect(page.locator("#note-text")).to_have_value("Half getypt briefje")

    # Fourth trial: a message and the end of the time reach a phone scrolled down too.
    await add_note(page, "Half getypt briefje")
    await page.evaluate(
        "document.body.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));"
        " document.activeElement.blur(); window.scrollTo(0, document.body.scrollHeight)"
    )
    w.post("/broadcast", {"message": "Nog vijf minuten"})
    await expect(bar).to_have_text("Bericht van de moderator — naar boven")
    await bar.click()
    await expect(page.locator("#message")).to_be_in_viewport()
    # A broadcast closes with Escape.
    await page.locator("#message-close").focus()
    await page.keyboard.press("Escape")
    await expect(page.locator("#message")).to_be_hidden()
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    w.post("/timer", {"seconds": 1})
    await expect(bar).to_have_text("De tijd is om — naar boven", timeout=15000)
    # Seventh trial: a poll opened next; the bar still pointed at the time that ran out.
    poll = w.post("/polls", {"question": "Wat maakt je nu onzeker?", "kind": "open"})
    await expect(page.locator("#poll")).to_be_in_viewport()
    await expect(bar).to_be_hidden()
    # Eighth trial: closed, the result goes under the (long) task, out of view: a bar
    # leads to it, and the task stays first.
    w.post(f"/polls/{poll['id']}/close")
    await expect(bar).to_have_text("De uitslag van de peiling — bekijk")
    await bar.click()
    await expect(page.locator("#poll")).to_be_in_viewport()
    await expect(page.locator("#poll")).to_contain_text("De peiling is gesloten")
    no_js_errors(page)


async def test_a_long_word_in_the_workshop_title_stays_whole_on_a_phone(
    web: ServerProcess, browser: Browser
) -> None:
    """Ninth trial: "managementassistente / n" on the join page at 360 px."""
    w = Workshop.create(
        web.base_url, rooms=1, title="Toekomst van ons werk – managementassistenten"
    )
    _c, page = await person(browser)
    await page.goto(w.join_link)
    title = page.locator("#w-title")
    await expect(title).to_have_text("Toekomst van ons werk – managementassistenten")
    fits = await title.evaluate(
        """(el) => {
        const ctx = document.createElement('canvas').getContext('2d');
        const cs = getComputedStyle(el);
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        return ctx.measureText('managementassistenten').width <= el.clientWidth;
        }"""
    )
    assert fits
    assert float((await title.evaluate("el => getComputedStyle(el).fontSize"))[:-2]) >= 18
    await shoot(page, "join-long-title-phone")
    no_js_errors(page)
