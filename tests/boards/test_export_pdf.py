"""The PDF report through a real server: a PDF of the expected length whose pages,
rendered with poppler's pdftoppm, carry ink; Dutch text (a diaeresis, an en dash, an
ellipsis) comes out as written."""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import KeepTogether, Table

from app.boards.export_pdf import _register_fonts, _Report
from tests.conftest import service_missing
from tests.e2e.helpers import Workshop, seed_scenario
from tests.support.client import Peer
from tests.support.server import ServerProcess

PDFTOPPM = "/usr/bin/pdftoppm"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[ServerProcess]:
    """A server of our own (seeding sends many commands from one token)."""
    db = tmp_path_factory.mktemp("pdf") / "plenary.db"
    proc = ServerProcess(
        f"sqlite:///{db}",
        artifacts / "pdf-server.log",
        PLENARY_RATE_PER_S="1000",
        PLENARY_RATE_BURST="1000",
    ).start()
    yield proc
    proc.stop()


def render(pdf: bytes, folder: Path) -> list[Path]:
    """Every page as a PNG (pdftoppm at 40 dpi)."""
    if not Path(PDFTOPPM).exists() or shutil.which("pdftoppm") is None:
        service_missing("poppler", f"{PDFTOPPM} not found")
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", "40", "-png", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def ink(png: Path) -> float:
    """The share of pixels that are not white."""
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)


async def test_the_pdf_report_has_every_part_and_prints(
    web: ServerProcess, tmp_path: Path, artifacts: Path
) -> None:
    w = Workshop.create(
        web.base_url,
        rooms=3,
        title="Werk in 2030 – één blik vooruit…",
        timezone="Europe/Amsterdam",
    )
    w.phase("story")
    await seed_scenario(w, web.ws_url, per_room=12, clusters=True)
    w.post("/synthesis")
    poll = w.post("/polls", {"question": "Wat is het belangrijkst?", "kind": "open"})
    peer = await Peer.connect(web.ws_url, w.id, w.mod, w.rooms[0]["id"])
    await peer.ok("poll.answer", {"poll": poll["id"], "text": "Coördinatie – samen… 👍🏽 echt"})
    await peer.close()
    w.post(f"/polls/{poll['id']}/close")

    response = httpx.get(f"{web.base_url}/api/workshops/{w.id}/export.pdf", headers=w.auth)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-")
    # The projector may read it too; a participant may not.
    projector = httpx.get(
        f"{web.base_url}/api/workshops/{w.id}/export.pdf",
        headers={"Authorization": f"Bearer {w.proj}"},
    )
    assert projector.status_code == 200
    assert httpx.get(f"{web.base_url}/api/workshops/{w.id}/export.pdf").status_code == 401

    pages = render(response.content, tmp_path)
    # Title and synthesis, polls, three rooms' crosses with four stories each, boards.
    assert 5 <= len(pages) <= 30, len(pages)
    for page in pages:
        assert ink(page) > 0.003, page.name
    keep = artifacts / "pdf"
    keep.mkdir(exist_ok=True)
    for page in pages[:6]:
        shutil.copy(page, keep / page.name)
    # The words are in the PDF as text (Vera is embedded; Dutch letters survive).
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert "Werk in 2030 – één blik vooruit…" in text
        # Dated by the moderator's clock (CET in winter, CEST in summer), not the server's.
        assert (" CET" in text or " CEST" in text) and "UTC" not in text
        assert "Coördinatie – samen…" in text
        # The emoji is left out rather than drawn as an empty box (Vera has no emoji).
        # (pdftotext breaks the line at a glyph the font lacks.)
        assert "Coördinatie – samen… echt" in text
        assert "razendsnel" in text and "Vliegende start" in text
        # Under the chart, each dot's number with its title (eighth trial: only numbers,
        # pointing back to a table pages earlier).
        synthesis = w.get("/synthesis")
        by_id = {i["id"]: i for i in synthesis["items"]}
        ordered = [by_id[i] for ids in synthesis["lanes"].values() for i in ids]
        number, first = next(
            (n, i) for n, i in enumerate(ordered, start=1) if i["impact"]["mean"] is not None
        )
        under_chart = text[text.index("hieronder met hun titel") :]
        assert f"{number}. {first['title'][:18]}" in under_chart, under_chart[:300]
        # Under an item, the rooms' clusters whose notes went into it.
        assert "Clusters: Groep 1 «" in text
        # A cross's two axes named apart, not "Assen:" twice (fourth trial).
        assert "Horizontale as:" in text and "Verticale as:" in text and "Assen:" not in text
    # The list under the chart is kept with it, so it never begins alone on the next page
    # (tenth trial); a long list may go on over the page.
    data = httpx.get(f"{web.base_url}/api/workshops/{w.id}/export.json", headers=w.auth).json()
    _register_fonts()
    built = _Report(data)
    built.synthesis()
    blocks = [f for f in built.story if isinstance(f, KeepTogether)]
    chart_block = next(b for b in blocks if any(isinstance(p, Drawing) for p in b._content))
    assert isinstance(chart_block._content[-1], Table)
