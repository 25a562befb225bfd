"""The projection on the plenary screen: opened from the console, never scrolling,
readable from the back row, following the moderator's choice of view."""

import asyncio
import re
import shutil
import subprocess
from pathlib import Path

import httpx
from playwright.async_api import Browser, Page, expect

from tests.e2e.helpers import (
    PHONE,
    PROJECTOR,
    STORY,
    Workshop,
    add_note,
    eventually,
    fits_phone_and_is_labelled,
    fits_screen,
    join,
    no_js_errors,
    on_the_wall,
    person,
    seed_scenario,
    shoot,
    watch_errors,
)
from tests.support.client import Peer
from tests.support.server import ServerProcess

OVERLAPS = """() => {
  const svg = document.querySelector('#p-chart svg');
  const box = svg.plotBox;
  const labels = [...svg.querySelectorAll('text.label')].map(t => t.getBBox());
  const dots = [...svg.querySelectorAll('circle')].map(c => c.getBBox());
  const hit = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width
    && a.y < b.y + b.height && b.y < a.y + a.height;
  const out = labels.filter(l => l.x < box.x || l.y < box.y
    || l.x + l.width > box.x + box.w || l.y + l.height > box.y + box.h).length;
  let pairs = 0;
  labels.forEach((a, i) => labels.slice(i + 1).forEach(b => { if (hit(a, b)) pairs++; }));
  let onDots = 0;
  labels.forEach(a => dots.forEach(d => { if (hit(a, d)) onDots++; }));
  return {labels: labels.length, dots: dots.length, out, pairs, onDots,
          legend: svg.legend.length};
}"""


async def show(console: Page, projection: Page, view: str) -> None:
    await console.locator(f"#views input[value={view}]").check()
    await expect(projection.locator(f"#v-{view}")).to_be_visible()
    await expect(projection.locator("body")).to_have_attribute("data-view", view)


async def test_console_opens_a_projection_that_shows_how_to_join_and_the_rooms(
    web: ServerProcess, browser: Browser
) -> None:
    """Findings 1 and 4: the console mints a projector link; while waiting the wall shows
    the code and QR large, then the rooms live."""
    w = Workshop.create(web.base_url, rooms=3)
    context, console = await person(browser, PROJECTOR)
    await console.goto(w.console)
    await expect(console.locator("#status")).to_have_text("Verbonden")
    async with context.expect_page() as opened:
        await console.click("#open-projection")
    projection = await opened.value
    watch_errors(projection)
    await projection.set_viewport_size(PROJECTOR)
    await expect(projection.locator("#v-join")).to_be_visible()
    assert "token" not in projection.url
    await expect(projection.locator("#p-join-code")).to_have_text(w.code)
    qr = await projection.locator("#p-qr").bounding_box()
    assert qr and qr["height"] >= 500  # large enough to scan from the back
    assert await projection.locator("#p-qr").evaluate("img => img.naturalWidth") > 0
    code = await projection.locator("#p-join-code").evaluate("el => getComputedStyle(el).fontSize")
    assert float(code.removesuffix("px")) >= 100
    await expect(console.locator("#projection-link")).to_have_attribute(
        "href", re.compile(f"/w/{w.id}/plenary#token=")
    )
    await fits_screen(projection)
    await shoot(projection, "plenary-join-projector", full_page=False)
    # The rooms at work: people online, notes, phase and timer per room.
    await show(console, projection, "activity")
    await expect(projection.locator("#p-activity-h")).to_have_text(
        "De groepen staan klaar voor de start"
    )
    w.phase("collect")
    await expect(projection.locator("#p-activity-h")).to_have_text("De groepen zijn aan het werk")
    w.post("/timer", {"seconds": 600})
    anna = await join(browser, w.join_link, "Anna")
    await add_note(anna, "Thuiswerken blijft")
    room = projection.locator(".room-live", has_text=anna_room(w, 0))
    await expect(room).to_contain_text("1 online · 1 briefje")
    await expect(room).to_contain_text("Verzamelen")
    await expect(room.locator(".t")).to_have_text(re.compile(r"^(10:00|9:\d\d)$"))
    await expect(projection.locator("#p-totals")).to_contain_text("1 online")
    # A locked room says so on the wall as well (seventh trial: only the phones knew).
    w.post(f"/rooms/{w.rooms[0]['id']}/lock", {"locked": True})
    await expect(room.locator(".lock")).to_have_text("Vergrendeld")
    w.post(f"/rooms/{w.rooms[0]['id']}/lock", {"locked": False})
    await expect(room.locator(".lock")).to_have_count(0)
    w.post(f"/rooms/{w.rooms[1]['id']}/lock", {"locked": True})
    await on_the_wall(projection)
    # Three rooms: each tile a third of the wall, its words grown with it (eleventh trial).
    sizes = await room.locator(".name, .facts, .t").evaluate_all(
        "els => els.map((el) => parseFloat(getComputedStyle(el).fontSize))"
    )
    assert min(sizes) >= 36, sizes
    await shoot(projection, "plenary-activity-projector", full_page=False)
    w.phase("closed")  # all done: the heading no longer says they are at work
    await expect(projection.locator("#p-activity-h")).to_have_text("De groepen zijn klaar")
    no_js_errors(console, projection, anna)


def anna_room(w: Workshop, index: int) -> str:
    return w.rooms[index]["name"]


async def test_a_full_workshop_fits_the_wall_in_every_view(
    web: ServerProcess, browser: Browser
) -> None:
    """Findings 2, 3, 5, 6: 8 rooms, 30 items, 4 stories a room: never a scrollbar, text
    of 28 px or more, chart labels that neither overlap nor leave the chart, the score
    explained, paging; a phone does not scroll sideways either."""
    w = Workshop.create(web.base_url, rooms=8)
    w.phase("story")
    await seed_scenario(w, web.ws_url, clusters=True)
    w.post("/synthesis")
    assert len(w.get("/synthesis")["items"]) >= 30
    _c, console = await person(browser, {"width": 1200, "height": 900})
    await console.goto(w.console)
    await expect(console.locator("#status")).to_have_text("Verbonden")
    # Fourth trial: eight rooms' items listed every note (7,200 px); past three, they fold.
    more = console.locator("#items .more-notes").first
    await expect(more.locator("summary")).to_have_text(re.compile(r"^nog \d+ briefjes?$"))
    await more.locator("summary").click()
    await expect(more).to_have_attribute("open", "")
    item = await more.evaluate("d => d.closest('li[data-id]').dataset.id")
    w.post("/synthesis")  # drawn again: what was unfolded stays open
    await expect(console.locator(f"#items li[data-id='{item}'] .more-notes")).to_have_attribute(
        "open", ""
    )
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    await expect(wall.locator("body")).to_have_attribute("data-view", re.compile("items"))

    await show(console, wall, "items")
    await expect(wall.locator("#p-page")).to_have_text(re.compile(r"^1/[2-9]$"))
    first = wall.locator("#p-items li").first
    await expect(first.locator(".score")).to_have_text(
        re.compile(
            r"score \d+(,\d)? = impact \d,\d · onzekerheid \d,\d \(\d+ stemmen\) · \d van 8 groepen"
        )
    )
    # Raised everywhere: said with a badge; by 4 to 7 rooms, the score's parts say it.
    everywhere = wall.locator("#p-items li", has_text="8 van 8 groepen").first
    await expect(everywhere.locator(".room-badge")).to_have_text("alle groepen")
    some = wall.locator("#p-items li", has_text="5 van 8 groepen").first
    await expect(some.locator(".room-badge")).to_have_count(0)
    await expect(wall.locator("#v-items .score-note")).to_contain_text(
        "impact telt 40%, onzekerheid 30%"
    )
    # The rooms' cluster titles, in what is left of a line: never an extra page.
    await expect(wall.locator("#p-items .p-clusters:visible").first).to_contain_text("Clusters: «")
    cut = await wall.evaluate(
        "[...document.querySelectorAll('#p-items .p-clusters')]"
        ".filter((el) => !el.hidden && el.scrollWidth > el.clientWidth + 1).length"
    )
    assert cut == 0, cut  # whole titles or none, never "«AI & automat…"
    await on_the_wall(wall)
    await shoot(wall, "plenary-items-projector", full_page=False)
    shown = await wall.locator("#p-items li").count()
    await wall.keyboard.press("ArrowRight")  # the next page, by hand
    await expect(wall.locator("#p-page")).to_have_text(re.compile(r"^2/"))
    await expect(wall.locator("#p-items li .p-rank").first).to_have_text(str(shown + 1))

    await show(console, wall, "chart")
    chart = await wall.evaluate(OVERLAPS)
    assert chart["dots"] >= 30 and chart["labels"] >= 8, chart
    assert chart["out"] == 0 and chart["pairs"] == 0 and chart["onDots"] == 0, chart
    assert chart["labels"] + chart["legend"] >= chart["dots"], chart
    # The numbers on the dots and the scale read from the back row too (thirteenth trial:
    # the dots' were 26 px): their font as drawn on the wall.
    sizes = await wall.evaluate(
        """() => { const svg = document.querySelector('#p-chart svg');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text.num, text.tick')]
          .map((t) => parseFloat(t.getAttribute('font-size')) * scale); }"""
    )
    assert min(sizes) >= 28, min(sizes)
    # Every item rated: no line about unrated ones, and never the word "null" (fifth trial).
    await expect(wall.locator("#p-legend .unrated")).to_have_count(0)
    await expect(wall.locator("#p-legend")).not_to_contain_text("null")
    # More titles than the wall holds: the legend says how many it left out (sixth trial:
    # dots 19 to 43 had no word anywhere on the wall).
    titled = await wall.locator("#p-legend li:not(.legend-lane):not(.legend-more)").count()
    left_out = chart["legend"] - titled
    assert left_out > 0, chart
    await expect(wall.locator("#p-legend .legend-more")).to_have_text(
        f"… en nog {left_out}, met titel in het rapport"
    )
    await on_the_wall(wall)
    await shoot(wall, "plenary-chart-projector", full_page=False)

    await show(console, wall, "scenarios")
    await expect(wall.locator(".scen-room h2")).to_have_text("Groep 1")
    # Each room's cross, then each of its long stories on a page of its own: 8 x (1 + 4).
    await expect(wall.locator("#p-page")).to_have_text("1/40")
    hh = wall.locator(".p-quad.q-hh")
    await expect(hh.locator(".qtitle")).to_have_text("Vliegende start (Groep 1)")
    await expect(hh.locator(".qname")).to_have_text("razendsnel · overal")
    await expect(wall.locator(".p-cross .pole.top")).to_contain_text(": overal")
    await on_the_wall(wall)
    await shoot(wall, "plenary-scenarios-projector", full_page=False)
    await wall.keyboard.press("ArrowRight")
    await expect(wall.locator("#p-page")).to_have_text("2/40")
    story = wall.locator(".story-page")
    await expect(story.locator(".qtitle")).to_have_text("Vliegende start (Groep 1)")
    await expect(story.locator(".story-text")).to_have_text(STORY)  # whole, not cut
    await on_the_wall(wall)
    await shoot(wall, "plenary-story-projector", full_page=False)
    await wall.keyboard.press("ArrowLeft")
    await expect(wall.locator("#p-page")).to_have_text("1/40")

    # A poll: in auto the wall jumps to it, and the results grow live.
    await console.locator("#views input[value=auto]").check()
    await eventually(lambda: w.get("/synthesis")["view"] == "auto")
    poll = w.post(
        "/polls",
        {"question": "Welke trend pakken we op?", "kind": "rank", "from_synthesis": 5, "pick": 3},
    )
    await expect(wall.locator("#v-poll")).to_be_visible()
    await expect(wall.locator(".p-bar")).to_have_count(5)
    voter = await Peer.connect(web.ws_url, w.id, w.mod, w.rooms[0]["id"])
    ranking = [o["id"] for o in poll["options"]][::-1][:3]
    await voter.ok("poll.answer", {"poll": poll["id"], "ranking": ranking})
    await voter.close()
    await expect(wall.locator("#p-poll-n")).to_contain_text("1 antwoord")
    await expect(wall.locator(".p-bar .pts").first).to_have_text("3 punten")
    await on_the_wall(wall)
    # Five answers fill the wall in big type, each read whole (third trial: a third of it).
    sizes = await wall.locator(".p-bar .txt").evaluate_all(
        "els => els.map(el => [parseFloat(getComputedStyle(el).fontSize),"
        " el.scrollWidth <= el.clientWidth + 1])"
    )
    assert all(size >= 56 and whole for size, whole in sizes), sizes
    await shoot(wall, "plenary-poll-projector", full_page=False)
    # A poll nobody answered has no result to show: once closed, the wall moves on at
    # once (ninth trial: "Uitslag · 0 antwoorden" stood for half a minute).
    w.post(f"/polls/{poll['id']}/close")
    # Equal results share their place (tenth trial: two answers given once each were 1 and 2).
    tied = w.post("/polls", {"question": "Wat maakt je onzeker?", "kind": "open"})
    for n, answer in enumerate(("Reorganisatie", "Te veel vergaderen")):
        room = w.rooms[n]["id"]
        member = httpx.post(
            f"{web.base_url}/api/join", json={"code": w.code, "name": f"Stemmer {n}", "room": room}
        ).json()
        voter = await Peer.connect(web.ws_url, w.id, member["token"], room)
        await voter.ok("poll.answer", {"poll": tied["id"], "text": answer})
        await voter.close()
    await expect(wall.locator(".p-bar .n")).to_have_text(["1", "1"])
    # One long answer wraps; the short ones keep their big type (eleventh session: one long
    # answer shrank every answer to the smallest size, and was cut even then).
    long = (
        "Dat niemand weet hoe de nieuwe afdeling eruit gaat zien, wie mijn leidinggevende "
        "wordt en of mijn functie over een jaar nog bestaat nu alles wordt samengevoegd"
    )
    member = httpx.post(
        f"{web.base_url}/api/join", json={"code": w.code, "name": "Stemmer 2", "room": room}
    ).json()
    voter = await Peer.connect(web.ws_url, w.id, member["token"], room)
    await voter.ok("poll.answer", {"poll": tied["id"], "text": long})
    await voter.close()
    await expect(wall.locator(".p-bar")).to_have_count(3)
    await expect(wall.locator(".p-bar .txt", has_text="Dat niemand weet")).to_have_text(long)
    sizes = await wall.locator(".p-bar .txt").evaluate_all(
        "els => els.map(el => [parseFloat(getComputedStyle(el).fontSize),"
        " el.scrollHeight <= el.clientHeight + 1])"
    )
    assert all(size >= 36 and whole for size, whole in sizes), sizes
    await on_the_wall(wall)
    await shoot(wall, "plenary-poll-long-answer-projector", full_page=False)
    phone = await join(browser, w.join_link, "Piet")
    w.post(f"/polls/{tied['id']}/close")
    # The phones number equal results as the wall does (eleventh trial: 1, 2, 3 there).
    results = phone.locator("#poll .poll-results li")
    await expect(results).to_have_count(3)
    assert await results.evaluate_all("els => els.map((el) => el.value)") == [1, 1, 1]
    empty = w.post("/polls", {"question": "Nog iets?", "kind": "open"})
    await expect(wall.locator("#p-poll-q")).to_have_text("Nog iets?")
    # Eleventh trial: an unanswered poll was a black wall, and latecomers lost the code.
    await expect(wall.locator(".p-waiting")).to_have_text(
        "Antwoord op je telefoon: de antwoorden verschijnen hier."
    )
    await expect(wall.locator("#p-poll-join")).to_contain_text(f"code {w.code}")
    await on_the_wall(wall)
    await shoot(wall, "plenary-poll-waiting-projector", full_page=False)
    w.post(f"/polls/{empty['id']}/close")
    await expect(wall.locator("#v-poll")).to_be_hidden()

    for view in ("join", "activity"):
        await show(console, wall, view)
        await on_the_wall(wall)
    # A phone: no sideways scrolling in any view.
    await wall.set_viewport_size(PHONE)
    for view in ("items", "chart", "scenarios", "poll", "join", "activity"):
        await show(console, wall, view)
        await fits_screen(wall)
    await shoot(wall, "plenary-poll-phone", full_page=False)
    no_js_errors(console, wall)


async def test_a_backcast_workshop_projects_each_rooms_path(
    web: ServerProcess, browser: Browser
) -> None:
    """Backcasting: the rooms' results are their paths, from today to the horizon, paged
    when long; the console names the view so."""
    w = Workshop.create(web.base_url, rooms=2, method="backcast", horizon="december 2030")
    w.phase("path")
    peer = await Peer.connect(web.ws_url, w.id, w.mod, w.rooms[0]["id"])
    steps = [
        (f"Stap {i}: pilot met hybride vergaderen in team {i}", f"Q{i % 4 + 1} 202{6 + i // 4}")
        for i in range(9)
    ]
    for k, (text, when) in enumerate(steps):
        await peer.ok("note.add", {"text": text, "lane": "step", "when": when, "x": k / 10})
    await peer.close()
    _c, console = await person(browser, {"width": 1200, "height": 900})
    await console.goto(w.console)
    await expect(console.locator("#views")).to_contain_text("Routes per groep")
    await expect(console.locator("#views")).not_to_contain_text("Scenario's per groep")
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    await show(console, wall, "scenarios")
    room = wall.locator(".path-room")
    await expect(room.locator("h2")).to_have_text("Groep 1")
    await expect(wall.locator("#p-page")).to_have_text("1/2")  # 9 steps: 7 and 2
    await expect(room.locator(".p-step").first).to_contain_text("Vandaag")
    await expect(room.locator(".p-step .what").nth(1)).to_have_text(steps[0][0])
    await expect(room.locator(".p-step .when").nth(1)).to_have_text(steps[0][1])
    await on_the_wall(wall)
    await shoot(wall, "plenary-path-projector", full_page=False)
    await wall.keyboard.press("ArrowRight")
    await expect(wall.locator("#p-page")).to_have_text("2/2")
    await expect(room.locator(".p-step").last).to_have_text("Horizondecember 2030")
    await expect(room.locator(".p-step .what").first).to_have_text(steps[7][0])
    no_js_errors(console, wall)


async def test_a_story_the_cross_page_cuts_gets_a_page_of_its_own(
    web: ServerProcess, browser: Browser
) -> None:
    """Tenth trial: a 224-character story beside its traits ended "…in the…" on the
    cross's page and, being under 240 characters, never got a page of its own."""
    w = Workshop.create(web.base_url, rooms=1, language="en")
    peer = await Peer.connect(web.ws_url, w.id, w.mod, w.rooms[0]["id"])
    for text in ("Remote work", "AI assistants"):
        await peer.ok("note.add", {"text": text})
    notes = w.board(0)["notes"]
    await peer.ok(
        "axes.set",
        {
            "x": {"target": notes[0]["id"], "low": "office", "high": "anywhere"},
            "y": {"target": notes[1]["id"], "low": "manual", "high": "automated"},
        },
    )
    story = (
        "Nobody commutes any more: the office is a glass box we visit twice a month to see "
        "faces. Assistants run the agents that run our calendars, and attention has become "
        "the scarcest resource in the organisation, guarded by all."
    )
    assert len(story) < 240
    traits = ["unpredictable", "collaborative", "international", "asynchronous"]
    traits += ["overstimulated", "self-organising", "data-driven", "always reachable"]
    await peer.ok(
        "story.edit",
        {
            "quadrant": "hh",
            "title": "The Glass Office of the Distributed Team That Never Meets Any More",
            "metaphor": "An aquarium everyone watches from outside and nobody ever feeds",
            "traits": traits,
            "text": story,
        },
    )
    await peer.close()
    _c, console = await person(browser, {"width": 1200, "height": 900})
    await console.goto(w.console)
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    await show(console, wall, "scenarios")
    await shoot(wall, "plenary-story-cut-projector", full_page=False)
    cut = wall.locator(".p-quad.q-hh .qtext")
    await expect(cut).to_contain_text("…")
    await expect(wall.locator("#p-page")).to_have_text("1/2")
    await wall.keyboard.press("ArrowRight")
    await expect(wall.locator(".story-page .story-text")).to_have_text(story)
    await on_the_wall(wall)
    no_js_errors(console, wall)


# Whether every word of a path's moments fits its column (none broken inside a word).
WHEN_WORDS_FIT = """() => [...document.querySelectorAll('#p-scen .p-step .when')].every((w) => {
  const ctx = document.createElement('canvas').getContext('2d');
  const cs = getComputedStyle(w);
  ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const widest = Math.max(...w.textContent.split(/\\s+/).map((x) => ctx.measureText(x).width));
  return widest <= w.clientWidth + 0.5;
})"""


async def test_four_short_paths_share_two_pages_and_are_read_whole(
    web: ServerProcess, browser: Browser
) -> None:
    """Ninth trial: four rooms' paths went three on a page and one alone on a mostly empty
    one; steps were cut at two lines above an empty third of the screen; "volgende maand"
    broke inside its first word; the dots were half clipped."""
    w = Workshop.create(web.base_url, rooms=4, method="backcast", horizon="december 2027")
    w.phase("path")
    long_step = "Nieuw functieprofiel: assistent als regisseur van de agenda en van de AI-tools"
    for n, room in enumerate(w.rooms):
        peer = await Peer.connect(web.ws_url, w.id, w.mod, room["id"])
        for k, when in enumerate(("volgende maand", "voorjaar 2026", "Q4 2026")[: 2 + n % 2]):
            text = long_step if k == 1 else f"Stap {k + 1} van groep {n + 1}"
            await peer.ok("note.add", {"text": text, "lane": "step", "when": when, "x": k / 4})
        await peer.close()
    _c, console = await person(browser, {"width": 1200, "height": 900})
    await console.goto(w.console)
    # The console counts a route's steps apart from the notes.
    tile = console.locator(f"article.tile[data-room='{w.rooms[1]['id']}'] .facts")
    await expect(tile).to_contain_text(re.compile(r"Briefjes\s*0\s*Stappen\s*3"))
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    await show(console, wall, "scenarios")
    await expect(wall.locator(".path-pack.cols-2 .path-room h2")).to_have_text(
        ["Groep 1", "Groep 2"]
    )
    await expect(wall.locator("#p-page")).to_have_text("1/2")
    # Room on the page: the long step is read whole, not cut at two lines.
    await expect(wall.locator(".p-path.whole")).to_have_count(2)
    await expect(wall.locator(".p-step .what", has_text="regisseur").first).to_have_text(long_step)
    assert await wall.evaluate(WHEN_WORDS_FIT)
    # Each dot sits inside its list, where nothing clips it.
    dots_inside = await wall.evaluate(
        """() => [...document.querySelectorAll('#p-scen .p-step')].every((step) => {
          const list = step.closest('.p-path').getBoundingClientRect();
          const dot = getComputedStyle(step, '::before');
          const left = step.getBoundingClientRect().left + parseFloat(dot.left);
          return left >= list.left - 0.5;
        })"""
    )
    assert dots_inside
    await on_the_wall(wall)
    await shoot(wall, "plenary-paths-four-rooms-projector", full_page=False)
    await wall.keyboard.press("ArrowRight")
    await expect(wall.locator("#p-page")).to_have_text("2/2")
    await expect(wall.locator(".path-pack.cols-2 .path-room h2")).to_have_text(
        ["Groep 3", "Groep 4"]
    )
    no_js_errors(console, wall)


async def test_a_backcast_synthesis_goes_lane_by_lane_and_short_paths_share_a_page(
    web: ServerProcess, browser: Browser
) -> None:
    """Second trial, findings 1, 2, 6: what stays, what is new and what disappears are
    different questions, so the wall and the console never rank them in one list; three
    short paths share one page; notes written after the synthesis are flagged in the
    console; a damaged projector link reads as a card, not a blank box."""
    w = Workshop.create(
        web.base_url, rooms=3, method="backcast", horizon="Hoe ziet mijn werk eruit in december?"
    )
    w.phase("collect")
    lanes = {"keep": "Gastvrijheid bij de receptie", "new": "AI-assistent voor notulen"}
    lanes["drop"] = "Papieren archief"
    for room in w.rooms:
        peer = await Peer.connect(web.ws_url, w.id, w.mod, room["id"])
        for lane, text in lanes.items():
            await peer.ok("note.add", {"text": text, "lane": lane})
        await peer.close()
    w.phase("rate")
    keep = next(n for n in w.board(0)["notes"] if n["lane"] == "keep")
    peer = await Peer.connect(web.ws_url, w.id, w.mod, w.rooms[0]["id"])
    await peer.ok("vote.cast", {"target": keep["id"], "impact": 4, "uncertainty": 3})
    await peer.close()
    w.phase("path")
    for n, room in enumerate(w.rooms):
        peer = await Peer.connect(web.ws_url, w.id, w.mod, room["id"])
        await peer.ok("note.add", {"text": f"Pilot in team {n + 1}", "lane": "step", "when": "mei"})
        await peer.close()
    w.post("/synthesis")
    _c, console = await person(browser, {"width": 1200, "height": 900})
    await console.goto(w.console)
    await expect(console.locator("#items .lane-head")).to_have_text(
        ["Wat blijft", "Wat is nieuw", "Wat verdwijnt", "Stappen"]
    )
    await console.locator("#items").scroll_into_view_if_needed()
    await shoot(console, "moderate-backcast-lanes-1200", full_page=False)
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    await show(console, wall, "items")
    await expect(wall.locator("#p-items .p-lane")).to_have_text(
        ["Wat blijft", "Wat is nieuw", "Wat verdwijnt", "Stappen"]
    )
    await expect(wall.locator("#p-items .p-rank")).to_have_text(["1", "2", "3", "4"])
    await expect(wall.locator("#p-items li", has_text="Papieren archief")).to_contain_text(
        "score 30 = 3 van 3 groepen"  # no votes: no empty impact to puzzle over
    )
    # Steps are never voted on: no score that only counts rooms (ninth trial).
    step_row = wall.locator("#p-items li", has_text="Pilot in team")
    await expect(step_row).to_contain_text("van 3 groepen")
    await expect(step_row).not_to_contain_text("score")
    await expect(step_row.locator(".p-when")).to_have_text("mei")  # its moment on the paths
    await show(console, wall, "chart")  # the unrated items are said, not silently left out
    await expect(wall.locator("#p-legend .unrated")).to_have_text(  # steps are never voted on
        "2 onderwerpen zonder stemmen staan niet in de grafiek."  # not "yet": tenth trial
    )
    await show(console, wall, "items")
    await on_the_wall(wall)
    await shoot(wall, "plenary-backcast-lanes-projector", full_page=False)
    await show(console, wall, "scenarios")
    await expect(wall.locator(".path-pack.cols-3 .path-room h2")).to_have_text(
        ["Groep 1", "Groep 2", "Groep 3"]
    )
    await expect(wall.locator("#p-page")).to_have_text("")  # one page, not three
    await fits_screen(wall)
    await shoot(wall, "plenary-paths-packed-projector", full_page=False)

    # A note after the synthesis: the console says the merged board leaves it out.
    await expect(console.locator("#syn-stale")).to_be_hidden()
    peer = await Peer.connect(web.ws_url, w.id, w.mod, w.rooms[0]["id"])
    await peer.ok("note.add", {"text": "Nog een stap", "lane": "step", "when": "juni"})
    await peer.close()
    await expect(console.locator("#syn-stale")).to_contain_text(
        "1 briefje is nieuw, gewijzigd of weg sinds de synthese"
    )
    await console.click("#build")
    await expect(console.locator("#syn-stale")).to_be_hidden()

    # A damaged projector link: dark words on the card, and no endless "Verbinden…".
    _b, broken = await person(browser, PROJECTOR)
    await broken.goto(f"{web.base_url}/w/{w.id}/plenary#token=kapot")
    card = broken.locator(".needs-link")
    await expect(card).to_be_visible()
    # The card may be drawn again as the refusal arrives: read it once it stands.
    read = "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    colors = await card.evaluate(read)
    for _ in range(50):
        if colors[0]:
            break
        await asyncio.sleep(0.1)
        colors = await card.evaluate(read)
    assert colors[0] != colors[1] and colors[0] != "rgb(255, 255, 255)", colors
    await expect(broken.locator("#status")).to_have_text("")
    await shoot(broken, "plenary-broken-link-projector", full_page=False)
    no_js_errors(console, wall)


async def test_a_free_break_out_shows_no_votes_it_never_asked_for(
    web: ServerProcess, browser: Browser, tmp_path: Path
) -> None:
    """Seventh trial: a free break-out's wall explained impact and uncertainty, offered a
    chart "that follows shortly" and crosses, and its PDF had empty vote columns."""
    w = Workshop.create(web.base_url, rooms=2, method="free")
    w.phase("open")
    texts = (
        ["Minder vergaderen", "Koffie met collega's"],
        ["Minder vergaderen", "Een stiltekamer"],
    )
    for room, notes in zip(w.rooms, texts, strict=True):
        peer = await Peer.connect(web.ws_url, w.id, w.mod, room["id"])
        for text in notes:
            await peer.ok("note.add", {"text": text})
        await peer.close()
    w.post("/synthesis")
    _c, console = await person(browser, PROJECTOR)
    await console.goto(w.console)
    await expect(console.locator("#status")).to_have_text("Verbonden")
    views = console.locator("#views input")
    await expect(views).to_have_count(5)
    assert await console.locator("#views input[value=chart]").count() == 0
    assert await console.locator("#views input[value=scenarios]").count() == 0
    # Eleventh trial: "Niemand stemde" read as if nobody took part, in a method without votes.
    free_note = "Gerangschikt op hoeveel groepen een onderwerp noemden."
    await expect(console.locator("#score-explain")).to_have_text(free_note)
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    await show(console, wall, "items")
    first = wall.locator("#p-items li").first
    await expect(first.locator(".p-title")).to_have_text("Minder vergaderen")
    await expect(first.locator(".score")).to_have_text("genoemd in 2 van 2 groepen")
    await expect(wall.locator("#v-items .score-note")).to_have_text(free_note)
    await expect(wall.locator("#v-items")).not_to_contain_text("impact")
    await fits_screen(wall)
    await shoot(wall, "plenary-free-items-projector", full_page=False)
    # Asked for anyway (another client may): the wall says why there is nothing to show.
    mod = await Peer.connect(web.ws_url, w.id, w.mod, "synthesis")
    await mod.ok("plenary.view", {"view": "chart"})
    await expect(wall.locator("#v-chart")).to_contain_text("wordt niet gestemd")
    await mod.ok("plenary.view", {"view": "scenarios"})
    await expect(wall.locator("#v-scenarios")).to_contain_text("maakt geen scenario's")
    await mod.close()
    markdown = httpx.get(f"{w.base_url}/api/workshops/{w.id}/export.md", headers=w.auth).text
    assert free_note in markdown and "impact –" not in markdown and "Niemand" not in markdown
    assert "1. **Minder vergaderen** — genoemd in Groep 1, Groep 2" in markdown
    plain = httpx.get(f"{w.base_url}/api/workshops/{w.id}/export.csv", headers=w.auth).text
    assert all(row.split('","')[5] == "" for row in plain.splitlines()[1:])  # no item_score
    pdf = httpx.get(f"{w.base_url}/api/workshops/{w.id}/export.pdf", headers=w.auth)
    (tmp_path / "free.pdf").write_bytes(pdf.content)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "free.pdf"), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "Gerangschikt op hoeveel groepen" in text and "Onzekerheid" not in text
    no_js_errors(console, wall)


async def test_the_join_screen_stays_while_everyone_is_in_the_lobby(
    web: ServerProcess, browser: Browser
) -> None:
    """Eighth trial: in 'automatic' the QR code went away half the time while people were
    still arriving, for a 'groups at work' screen with nobody at work yet."""
    w = Workshop.create(web.base_url, rooms=2)
    _p, wall = await person(browser, PROJECTOR)
    await wall.clock.install()
    await wall.goto(w.projection)
    await expect(wall.locator("body")).to_have_attribute("data-view", "join")
    for _ in range(3):
        await wall.clock.fast_forward("00:25")
        await expect(wall.locator("body")).to_have_attribute("data-view", "join")
    w.phase("collect")  # the groups start: their progress takes turns with the join screen
    await asyncio.sleep(0.5)  # the phase reaches the wall's socket
    await wall.clock.fast_forward("00:25")
    await expect(wall.locator("body")).to_have_attribute("data-view", "activity")
    await expect(wall.locator("#p-rooms .room-live").first).to_contain_text("Verzamelen")
    no_js_errors(wall)


async def test_a_follow_up_opens_with_what_the_session_before_concluded(
    web: ServerProcess, browser: Browser
) -> None:
    """Eleventh session: a follow-up carried the earlier top 5 only into its reports; the
    wall and the phones now show it while people arrive."""
    first = Workshop.create(web.base_url, title="Sessie 1", method="free", rooms=2)
    first.phase("open")
    texts = (  # five items and more, some with long titles: the wall still fits them
        [
            "Verbinding met collega's houden nu iedereen op andere dagen op kantoor is",
            "Thuiswerken blijft",
            "Te veel vergaderingen die eigenlijk een mail hadden kunnen zijn",
            "Agendabeheer voor drie directeuren tegelijk, met elk een eigen manier van plannen",
        ],
        [
            "verbinding met het team",
            "Thuiswerken",
            "Nieuwe software leren terwijl het gewone werk gewoon doorgaat",
            "Minder papier, alles digitaal archiveren, maar niemand weet waar de mappen staan",
            "Werkdruk rond de jaarafsluiting en de begroting, elk jaar weer dezelfde weken",
        ],
    )
    for room, notes in zip(first.rooms, texts, strict=True):
        peer = await Peer.connect(web.ws_url, first.id, first.mod, room["id"])
        for text in notes:
            await peer.ok("note.add", {"text": text})
        await peer.close()
    top = first.post("/synthesis")["items"]
    made = httpx.post(
        f"{web.base_url}/api/workshops",
        json={"title": "Sessie 2", "method": "free", "rooms": 2, "follows": first.id},
        headers=first.auth,
    )
    assert made.status_code == 201, made.text
    second = Workshop(web.base_url, made.json())
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(second.projection)
    await expect(wall.locator("body")).to_have_attribute("data-view", "join")
    carried = wall.locator("#p-previous")
    await expect(carried.locator("h3")).to_have_text("Vorige sessie: Sessie 1")
    assert len(top) > 5
    await expect(carried.locator("li").first).to_be_visible()
    # As many of the five as the wall holds whole; the report has them all.
    assert 3 <= await carried.locator("li").count() <= 5
    await expect(carried.locator("li").first).to_contain_text(top[0]["title"])
    await expect(carried.locator("li").filter(has_text="· 2 groepen")).to_have_count(2)
    await expect(wall.locator("#v-join")).to_have_class(re.compile("carries"))
    await on_the_wall(wall)
    await shoot(wall, "plenary-join-follow-up-projector", full_page=False)
    phone = await join(browser, second.join_link, "Anna")
    lobby = phone.locator("#task #previous")  # the lobby's task: what last time concluded
    await expect(lobby.locator("h2")).to_have_text("Vorige sessie: Sessie 1")
    await expect(lobby.locator("li").first).to_contain_text(top[0]["title"])
    await fits_phone_and_is_labelled(phone)
    await shoot(phone, "board-lobby-follow-up-phone")
    second.phase("open")  # at work, it folds away under the rest of the board
    await expect(phone.locator("#more-body #previous")).to_have_count(1)
    await expect(phone.locator("#task #add")).to_be_visible()
    # A ranking of the session before's top 5, before this one has a synthesis (twelfth
    # trial: they had to be typed again).
    _c, console = await person(browser, PROJECTOR)
    await console.goto(second.console)
    await expect(console.locator("#status")).to_have_text("Verbonden")
    await expect(console.locator("#poll-from-previous")).to_be_hidden()
    await console.check("input[name=poll-kind][value=rank]")
    await console.click("#poll-from-previous")
    carried_titles = [item["title"] for item in second.get("")["previous"]["items"]]
    await expect(console.locator("#poll-options")).to_have_value("\n".join(carried_titles))
    await console.fill("#poll-question", "Wat pakken we eerst op?")
    await console.click("#poll-form button[type=submit]")
    await expect(console.locator("#poll-live")).to_contain_text("Wat pakken we eerst op?")
    poll = second.get("/polls")["polls"][-1]
    assert [o["text"] for o in poll["options"]] == carried_titles
    no_js_errors(wall, phone, console)


async def test_a_backcast_follow_up_says_what_each_carried_item_was(
    web: ServerProcess, browser: Browser
) -> None:
    """Thirteenth trial: "Handmatig notuleren" and "Papieren archief" stood among the top
    five without a word that they are what disappears."""
    first = Workshop.create(
        web.base_url, title="Sessie 1", method="backcast", rooms=2, horizon="december 2027"
    )
    first.phase("collect")
    for room in first.rooms:
        peer = await Peer.connect(web.ws_url, first.id, first.mod, room["id"])
        await peer.ok("note.add", {"text": "Papieren archief", "lane": "drop"})
        await peer.ok("note.add", {"text": "Persoonlijk contact", "lane": "keep"})
        await peer.close()
    first.post("/synthesis")
    made = httpx.post(
        f"{web.base_url}/api/workshops",
        json={"title": "Sessie 2", "method": "free", "rooms": 1, "follows": first.id},
        headers=first.auth,
    )
    second = Workshop(web.base_url, made.json())
    phone = await join(browser, second.join_link, "Anouk")
    carried = phone.locator("#task #previous li")
    await expect(carried.filter(has_text="Papieren archief")).to_contain_text(
        "Wat verdwijnt · 2 groepen"
    )
    await expect(carried.filter(has_text="Persoonlijk contact")).to_contain_text("Wat blijft ·")
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(second.projection)
    await expect(wall.locator("#p-previous li", has_text="Papieren archief")).to_contain_text(
        "Wat verdwijnt"
    )
    no_js_errors(phone, wall)


async def test_a_page_of_steps_explains_no_score(web: ServerProcess, browser: Browser) -> None:
    """Thirteenth trial: the score's formula stood under "Stappen", which has no score."""
    w = Workshop.create(web.base_url, rooms=2, method="backcast", horizon="december 2027")
    w.phase("path")
    for n, room in enumerate(w.rooms):
        peer = await Peer.connect(web.ws_url, w.id, w.mod, room["id"])
        await peer.ok("note.add", {"text": f"Pilot in team {n + 1}", "lane": "step"})
        await peer.close()
    w.post("/synthesis")
    _p, wall = await person(browser, PROJECTOR)
    await wall.goto(w.projection)
    mod = await Peer.connect(web.ws_url, w.id, w.mod, "synthesis")
    await mod.ok("plenary.view", {"view": "items"})
    await mod.close()
    await expect(wall.locator("#p-items .p-lane")).to_have_text(["Stappen"])
    await expect(wall.locator("#v-items .score-note")).to_be_hidden()
    no_js_errors(wall)
