"""Shared steps of the browser tests: people, pages, workshops, screenshots, layout checks."""

import asyncio
import os
import re
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect

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
expect.set_options(timeout=10_000)
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


async def person(
    browser: Browser,
    viewport: dict[str, int] = PHONE,
    locale: str = "nl-NL",
    timezone: str = "Europe/Amsterdam",
) -> tuple[BrowserContext, Page]:
    """A fresh browser profile with one page; JavaScript errors fail the page's checks."""
    context = await browser.new_context(viewport=viewport, locale=locale, timezone_id=timezone)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    watch_errors(page)
    return context, page


def watch_errors(page: Page) -> None:
    """Keep the page's uncaught errors on it, to assert there are none."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors  # type: ignore[attr-defined]


def no_js_errors(*pages: Page) -> None:
    """No page threw."""
    for page in pages:
        assert page.js_errors == [], page.js_errors  # type: ignore[attr-defined]


async def shoot(page: Page, name: str, full_page: bool = True) -> None:
    """A screenshot under tests/artifacts/screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


async def join(
    browser: Browser, link: str, name: str, room: str | None = None, status: str = "Verbonden"
) -> Page:
    """Someone joins with a name (and a room, when the workshop lets people choose)."""
    _context, page = await person(browser)
    await page.goto(link)
    await page.fill("input[name=name]", name)
    if room is not None:
        await page.select_option("select[name=room]", label=room)
    await page.click("#join-form button[type=submit]")
    await page.wait_for_url(re.compile(r"/w/.+/room/"))
    await expect(page.locator("#status")).to_have_text(status)
    return page


async def add_note(page: Page, text: str) -> None:
    """Type a note and press Enter."""
    await page.fill("#note-text", text)
    await page.press("#note-text", "Enter")


class Workshop:
    """A workshop made over HTTP, with the moderator's calls at hand."""

    def __init__(self, base_url: str, created: dict[str, Any]) -> None:
        self.base_url = base_url
        self.data = created
        self.id: str = created["id"]
        self.code: str = created["join_code"]
        self.mod: str = created["moderator_token"]
        self.proj: str = created["projector_token"]
        self.rooms: list[dict[str, str]] = created["rooms"]
        self.auth = {"Authorization": f"Bearer {self.mod}"}

    @classmethod
    def create(cls, base_url: str, **body: Any) -> "Workshop":
        """POST /api/workshops (defaults: scenario, 2 rooms, Dutch)."""
        payload = {
            "title": "Werk in 2030",
            "question": "Hoe ziet ons werk eruit in december 2030?",
            "method": "scenario",
            "rooms": 2,
            "language": "nl",
            **body,
        }
        response = httpx.post(f"{base_url}/api/workshops", json=payload)
        assert response.status_code == 201, response.text
        return cls(base_url, response.json())

    @property
    def join_link(self) -> str:
        """The participants' page."""
        return f"{self.base_url}/join/{self.code}"

    @property
    def console(self) -> str:
        """The moderator's console, token in the fragment."""
        return f"{self.base_url}/w/{self.id}/moderate#token={self.mod}"

    @property
    def projection(self) -> str:
        """The projection, token in the fragment."""
        return f"{self.base_url}/w/{self.id}/plenary#token={self.proj}"

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """A moderator control; must succeed."""
        # A first synthesis starts the worker process (about 3 s, more on a busy machine).
        response = httpx.post(
            f"{self.base_url}/api/workshops/{self.id}{path}",
            json=body or {},
            headers=self.auth,
            timeout=30,
        )
        assert response.status_code in (200, 201), response.text
        return dict(response.json())

    def get(self, path: str) -> Any:
        """A moderator read."""
        response = httpx.get(f"{self.base_url}/api/workshops/{self.id}{path}", headers=self.auth)
        assert response.status_code == 200, response.text
        return response.json() if "json" in response.headers["content-type"] else response.content

    def phase(self, phase: str, rooms: list[str] | None = None) -> None:
        """Move rooms (all by default) to a phase."""
        body: dict[str, Any] = {"phase": phase}
        if rooms is not None:
            body["rooms"] = rooms
        self.post("/phase", body)

    def board(self, room: int = 0) -> dict[str, Any]:
        """A room's board as the moderator sees it."""
        return dict(self.get(f"/rooms/{self.rooms[room]['id']}/board"))


async def fits_phone_and_is_labelled(page: Page) -> None:
    """No sideways scrolling at the page's width, and every visible control has a label."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    viewport = await page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide at {viewport}px"
    unlabelled = await page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter(el => el.offsetParent !== null)
        .filter(el => !el.closest('label') && !el.getAttribute('aria-label'))
        .filter(el => !el.textContent.trim())
        .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert unlabelled == []


async def hidden_are_unfocusable(page: Page) -> None:
    """Nothing hidden can be reached with Tab: every focusable control is rendered."""
    hidden = await page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button, a[href], summary')]
        .filter(el => !el.disabled && el.tabIndex >= 0)
        .filter(el => el.closest('[hidden]') && el.getClientRects().length > 0)
        .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert hidden == []


SMALLEST_TEXT = """() => {
  const sizes = [];
  // The whole page, the top bar included; only what screen readers alone get is left out.
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg, [hidden], .sr, .skip, script')) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own) sizes.push([parseFloat(getComputedStyle(el).fontSize), el.className || el.tagName]);
  }
  sizes.sort((a, b) => a[0] - b[0]);
  return sizes.slice(0, 3);
}"""


async def fits_screen(page: Page) -> None:
    """The document is never wider or taller than the window."""
    size = await page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " innerWidth, innerHeight]"
    )
    assert size[0] <= size[2] and size[1] <= size[3], size


async def inside_screen(page: Page) -> None:
    """Every text of the shown view lies within it: a view hides its overflow, cut unseen."""
    outside = await page.evaluate(
        """[...document.querySelectorAll('.view:not([hidden]) *')]
        .filter((el) => el.childElementCount === 0 && el.textContent.trim()
          && el.getClientRects().length)
        .map((el) => [el.textContent.trim().slice(0, 40), el.getBoundingClientRect(),
          el.closest('.view').getBoundingClientRect()])
        .filter(([, r, v]) => r.top < v.top - 1 || r.left < v.left - 1
          || r.bottom > v.bottom + 1 || r.right > v.right + 1)
        .map(([text]) => text)"""
    )
    assert outside == [], outside


async def on_the_wall(page: Page) -> None:
    """What a projected view must be: no scrolling, no text under 28 px, nothing cut off."""
    await fits_screen(page)
    await readable(page)
    await inside_screen(page)


async def readable(page: Page) -> None:
    """Body text at least 28 px at 1080p."""
    smallest = await page.evaluate(SMALLEST_TEXT)
    assert smallest and smallest[0][0] >= 28, smallest


TOPICS = [
    "Kunstmatige intelligentie neemt routinetaken over",
    "Hybride werken wordt de norm",
    "Vergrijzing van het personeel",
    "Krapte op de arbeidsmarkt",
    "Werkdruk en burn-out nemen toe",
    "Van secretaresse naar strategisch partner",
    "Digitale vaardigheden worden basis",
    "Duurzaamheid in elke beslissing",
    "Privacy en datawetgeving worden strenger",
    "Flexibele contracten in plaats van vaste banen",
    "Agenda's worden door software beheerd",
    "Meer samenwerking tussen organisaties",
    "Cyberveiligheid wordt ieders taak",
    "Persoonlijk leiderschap wordt belangrijker",
    "Taalmodellen schrijven de eerste versie van elke brief",
    "Kantoren worden ontmoetingsplekken",
    "Minder reizen, meer videobellen",
    "Levenslang leren wordt verplicht",
    "Diversiteit in teams groeit",
    "Een vierdaagse werkweek",
    "Robots op de receptie",
    "Projectmatig werken overal",
    "Informatie-overload en meldingen",
    "Welzijn van medewerkers centraal",
    "Generatie Z stelt andere eisen",
    "Thuiswerkvergoeding en nieuwe regels",
    "Automatische notulen en verslagen",
    "Meer verantwoordelijkheid voor budgetten",
    "Internationale teams over tijdzones heen",
    "Papierloos kantoor wordt eindelijk echt",
]
EXTRA = [
    "Zelfsturende teams zonder manager",
    "Vergaderen met hologrammen",
    "Salaris per project betaald",
    "Stilteruimtes op elke verdieping",
    "Kinderopvang naast het kantoor",
    "Elektrische deelfietsen voor iedereen",
    "Klanten verwachten antwoord binnen een uur",
    "Open salarissen voor alle collega's",
    "Mentoren uit andere bedrijven",
    "Vrijwilligerswerk tijdens werktijd",
    "Spraakbesturing vervangt het toetsenbord",
    "Pensioen in deeltijd",
    "Sabbatical na zeven jaar",
    "Tweetalige organisatie",
    "Werken vanuit het buitenland",
    "Duurzame kantoorinkoop",
    "Hondvriendelijke werkplekken",
    "Lunchwandelingen als vergadering",
    "Beveiliging met gezichtsherkenning",
    "Reiskosten alleen per trein",
    "Koffiemachines die bestellingen onthouden",
    "Archieven volledig in de cloud",
    "Gebarentaal in elk team",
    "Zomerrooster met korte dagen",
]
STORY = (
    "In deze wereld werkt iedereen samen met slimme assistenten. De management assistent "
    "is regisseur van informatie en relaties, en bewaakt wat er echt toe doet. Vergaderingen "
    "zijn korter, beslissingen sneller, maar de druk om altijd bereikbaar te zijn groeit. "
    "Wie zich blijft ontwikkelen, heeft een sterke positie; wie stilstaat, raakt achter. "
) * 3


# The theme of each of TOPICS, and what rooms call a cluster of that theme (each room in
# its own words).
THEMES = "tfppwrlooftotrtfflpwtfwwpftrft"
THEME_TITLES = {
    "t": ("Technologie", "Tech", "Digitalisering", "AI en tools"),
    "f": ("Werkvormen", "Hybride werken", "Werkplek", "Anders werken"),
    "p": ("Mensen", "Personeel", "Arbeidsmarkt", "Generaties"),
    "w": ("Welzijn", "Werkdruk", "Gezondheid", "Balans"),
    "r": ("Onze rol", "Het vak", "Positie", "Rol van de assistent"),
    "l": ("Leren", "Ontwikkeling", "Vaardigheden", "Scholing"),
    "o": ("Organisatie", "Samenwerking", "Strategie", "Bedrijf"),
}


async def seed_scenario(
    w: Workshop, ws_url: str, per_room: int = 30, clusters: bool = False
) -> None:
    """Fill every room as a busy workshop would: notes, votes, a cross with poles, four stories.

    The moderator's token writes in any phase, one socket per room. Topics repeat across
    rooms (the synthesis merges them) but each room also has its own, so the synthesis has
    many items. With `clusters`, each room clusters its topics by theme, in its own words.
    """
    from tests.support.client import Peer

    for index, room in enumerate(w.rooms):
        peer = await Peer.connect(ws_url, w.id, w.mod, room["id"])
        ids = []
        for k in range(per_room):
            topic = TOPICS[(index * 7 + k) % len(TOPICS)]
            text = topic if k < 20 else EXTRA[(index * 3 + k - 20) % len(EXTRA)]
            answer = await peer.ok("note.add", {"text": text})
            ids.append(answer)
        board = httpx.get(
            f"{w.base_url}/api/workshops/{w.id}/rooms/{room['id']}/board", headers=w.auth
        ).json()
        notes = board["notes"]
        if clusters:
            themes: dict[str, list[str]] = {}
            for note in notes:
                if note["text"] in TOPICS:
                    theme = THEMES[TOPICS.index(note["text"])]
                    themes.setdefault(theme, []).append(note["id"])
            for theme, members in sorted(themes.items()):
                title = THEME_TITLES[theme][index % len(THEME_TITLES[theme])]
                await peer.ok("cluster.create", {"title": title, "note_ids": members})
        for k, note in enumerate(notes):
            await peer.ok(
                "vote.cast",
                {
                    "target": note["id"],
                    "impact": 1 + (k * 3 + index) % 5,
                    "uncertainty": 1 + (k * 2 + index) % 5,
                },
            )
        x, y = notes[0]["id"], notes[1]["id"]
        await peer.ok(
            "axes.set",
            {
                "x": {"target": x, "low": "traag", "high": "razendsnel"},
                "y": {"target": y, "low": "op kantoor", "high": "overal"},
            },
        )
        for q, title in zip(
            ("hh", "hl", "lh", "ll"),
            ("Vliegende start", "Digitale eenzaamheid", "Rustig overal", "Oude vertrouwde"),
            strict=True,
        ):
            await peer.ok(
                "story.edit",
                {
                    "quadrant": q,
                    "title": f"{title} ({room['name']})",
                    "metaphor": "Een orkest zonder dirigent",
                    "traits": ["snel", "digitaal", "menselijk", "flexibel"],
                    "text": STORY,
                },
            )
        await peer.close()


async def eventually(check: Any, timeout: float = 10) -> Any:
    """Wait until `check()` (a server read) is truthy; return it."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {check}")
        await asyncio.sleep(0.1)


async def until(page: Page, script: str, timeout_s: float = 10.0) -> None:
    """Poll a script until true (the page's CSP forbids wait_for_function's eval)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout_s
    while not await page.evaluate(script):
        assert loop.time() < end, script
        await asyncio.sleep(0.05)
