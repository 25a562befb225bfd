"""Reports through a real server: what each role may read, and files safe to open anywhere."""

import csv
import io
from typing import Any

from markdown_it import MarkdownIt

from app.boards.export_md import (
    TEXT,
    _polls,
    _scenarios,
    board_counts,
    other_wordings,
    poll_places,
    poll_result,
    previous_line,
)
from tests.support.client import Api, Peer
from tests.support.server import ServerProcess

SECRET = "Geheim: de directeur vertrekt"


async def peer_in(server: ServerProcess, api: Api, w: dict[str, Any], room: str) -> Peer:
    member = await api.join(w["join_code"], "Anna", room=room)
    return await Peer.connect(server.ws_url, w["id"], member["token"], room)


async def phase(api: Api, w: dict[str, Any], name: str, rooms: list[str] | None = None) -> None:
    body: dict[str, Any] = {"phase": name}
    if rooms is not None:
        body["rooms"] = rooms
    response = await api.control(w["moderator_token"], f"/api/workshops/{w['id']}/phase", body)
    assert response.status_code == 200, response.text


async def test_the_projector_reads_only_what_the_projection_shows(
    server: ServerProcess, api: Api
) -> None:
    w = await api.create(
        method="scenario", rooms=2, language="nl", private_notes=True, hide_tallies=True
    )
    path = f"/api/workshops/{w['id']}"
    first, second = (r["id"] for r in w["rooms"])
    await phase(api, w, "collect")
    writer = await peer_in(server, api, w, first)
    await writer.ok("note.add", {"text": SECRET})
    voter = await peer_in(server, api, w, second)
    added = await voter.ok("note.add", {"text": "Thuiswerken blijft"})
    note = (await voter.wait_seq(second, added["seq"]))[-1]["data"]["note"]["id"]
    await phase(api, w, "rate", [second])  # leaving collect reveals room 2's notes
    await voter.ok("vote.cast", {"target": note, "impact": 5, "uncertainty": 4})
    built = await api.control(w["moderator_token"], f"{path}/synthesis", {})
    assert built.status_code == 200
    assert built.json()["items"][0]["impact"]["mean"] == 5  # the moderator sees everything

    projector, moderator = w["projector_token"], w["moderator_token"]
    synthesis = (await api.get(projector, f"{path}/synthesis")).json()
    assert [i["impact"]["mean"] for i in synthesis["items"]] == [None]  # room 2's tallies wait
    data = (await api.get(projector, f"{path}/export.json")).json()
    private = next(b for b in data["rooms"] if b["room"] == first)
    assert [n["text"] for n in private["notes"]] == [None]
    rating = next(b for b in data["rooms"] if b["room"] == second)
    assert rating["tallies"] == [
        {"target": note, "hidden": True, "n": 1, "impact": None, "uncertainty": None}
    ]
    for suffix in ("export.json", "export.md", "export.csv", "synthesis", "matrix.svg"):
        body = (await api.get(projector, f"{path}/{suffix}")).text
        assert SECRET not in body and "Geheim" not in body, suffix
    assert "5.0" not in (await api.get(projector, f"{path}/export.md")).text
    full = (await api.get(moderator, f"{path}/export.json")).text
    assert SECRET in full  # the moderator's report carries everything
    # The projection's own stream hides the tallies too, the moderator's does not.
    wall = await Peer.connect(server.ws_url, w["id"], projector, "synthesis")
    console = await Peer.connect(server.ws_url, w["id"], moderator, "synthesis")
    await api.control(moderator, f"{path}/synthesis", {})
    for peer, mean in ((wall, None), (console, 5)):
        rebuilt = await peer.wait_for(
            lambda p: [e for e in p.events if e["op"] == "synthesis.rebuilt"]
        )
        assert rebuilt[-1]["data"]["synthesis"]["items"][0]["impact"]["mean"] == mean
    for peer in (writer, voter, wall, console):
        await peer.close()


async def test_csv_cells_are_quoted_and_never_formulas_in_either_locale(
    server: ServerProcess, api: Api
) -> None:
    w = await api.create(rooms=1, language="nl")
    room = w["rooms"][0]["id"]
    await phase(api, w, "open")
    peer = await peer_in(server, api, w, room)
    texts = ["x;=1+1;", '=HYPERLINK("http://evil")', "+31 6 1234", 'coördinator, "ja"']
    for text in texts:
        await peer.ok("note.add", {"text": text})
    path = f"/api/workshops/{w['id']}/export.csv"
    for sep, delimiter in (("comma", ","), ("semicolon", ";")):
        raw = (await api.get(w["moderator_token"], f"{path}?sep={sep}")).content
        assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
        text = raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        assert rows[0][:3] == (
            ["room", "lane", "text"] if sep == "comma" else ["groep", "soort", "tekst"]
        )
        cells = [row[2] for row in rows[1:]]
        assert cells == ["x;'=1+1;", '\'=HYPERLINK("http://evil")', "'+31 6 1234", texts[3]]
        # Read with the other separator, a quoted field still never becomes a formula cell.
        other = ";" if delimiter == "," else ","
        for row in csv.reader(io.StringIO(text), delimiter=other):
            for value in row:
                assert not value.lstrip(' "').startswith(("=", "+", "@", "-")), value
        for line in text.splitlines()[1:]:  # every field quoted, none empty of quotes
            assert line.startswith('"') and line.endswith('"')
            assert line.count(f'"{delimiter}"') == 12
    await peer.close()


async def test_markdown_keeps_peoples_words_literal_and_its_structure_intact(
    server: ServerProcess, api: Api
) -> None:
    w = await api.create(method="scenario", rooms=1, language="nl")
    room = w["rooms"][0]["id"]
    path = f"/api/workshops/{w['id']}"
    mod = await Peer.connect(server.ws_url, w["id"], w["moderator_token"], room)
    ids = []
    for text in ("AI-assistenten plannen 1.5 keer sneller", "# geen kop", "Werkdruk"):
        ack = await mod.ok("note.add", {"text": text})
        ids.append((await mod.wait_seq(room, ack["seq"]))[-1]["data"]["note"]["id"])
    await mod.ok("axes.set", {"x": ids[0], "y": ids[2]})
    story = "Heading\n=======\n- geen lijst\n| a | b |"
    await mod.ok("story.edit", {"quadrant": "hh", "title": "Titel", "text": story})
    events = await mod.wait_for(lambda p: [e for e in p.events if e["op"] == "story.edited"])
    assert events[-1]["by"] is None and "updated_by" not in events[-1]["data"]["story"]
    built = (await api.control(w["moderator_token"], f"{path}/synthesis", {})).json()
    synth = await Peer.connect(server.ws_url, w["id"], w["moderator_token"], "synthesis")
    item = built["items"][0]["id"]
    await synth.ok("item.rename", {"id": item, "title": "twee\nregels | met pijp"})

    markdown = (await api.get(w["moderator_token"], f"{path}/export.md")).text
    assert "AI-assistenten plannen 1.5 keer sneller" in markdown  # ordinary punctuation stays
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not any("Heading" in h or "geen kop" in h for h in headings), headings
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    for words in ("Heading", "=======", "# geen kop", "- geen lijst", "twee regels | met pijp"):
        assert words in html, words  # shown literally, as typed
    assert "<h1>Heading" not in html and "<h2>Heading" not in html
    for row in [t for t in tokens if t.type == "tr_open"]:
        cells = tokens[tokens.index(row) :]
        count = 0
        for token in cells:
            if token.type in ("td_open", "th_open"):
                count += 1
            if token.type == "tr_close":
                break
        assert count == 4  # a title with a pipe or a newline never breaks the table
    data = (await api.get(w["moderator_token"], f"{path}/export.json")).json()
    stories = data["rooms"][0]["stories"]
    assert all("updated_by" not in s for s in stories)
    await mod.close()
    await synth.close()


async def test_the_dutch_excel_csv_writes_decimal_commas(server: ServerProcess, api: Api) -> None:
    w = await api.create(rooms=1, language="nl")
    room = w["rooms"][0]["id"]
    await phase(api, w, "open")
    peers = [await peer_in(server, api, w, room) for _ in range(2)]
    ack = await peers[0].ok("note.add", {"text": "Werkdruk neemt toe"})
    note = (await peers[0].wait_seq(room, ack["seq"]))[-1]["data"]["note"]["id"]
    await peers[0].ok("vote.cast", {"target": note, "impact": 4, "uncertainty": 2})
    await peers[1].ok("vote.cast", {"target": note, "impact": 5, "uncertainty": 3})
    await api.control(w["moderator_token"], f"/api/workshops/{w['id']}/synthesis", {})
    path = f"/api/workshops/{w['id']}/export.csv"
    dutch = (await api.get(w["moderator_token"], f"{path}?sep=semicolon")).content
    row = dict(zip(*csv.reader(io.StringIO(dutch.decode("utf-8-sig")), delimiter=";"), strict=True))
    assert row["impact_gemiddeld"] == "4,5" and row["onzekerheid_gemiddeld"] == "2,5"
    assert "," in row["score"] and row["beoordeeld_als"] == "briefje"
    assert row["soort"] == "briefje"  # the lane in Dutch, as the column's name is
    plain = (await api.get(w["moderator_token"], path)).content
    row = dict(zip(*csv.reader(io.StringIO(plain.decode("utf-8-sig"))), strict=True))
    assert row["impact_mean"] == "4.5" and row["rated_as"] == "note"  # machines: points
    assert row["lane"] == "note"
    # The Dutch report, for people, writes its means with a comma as well.
    report = (await api.get(w["moderator_token"], f"/api/workshops/{w['id']}/export.md")).text
    assert "impact 4,5 (n=2)" in report and "| 4,5 | 2,5 |" in report
    assert "4.5" not in report
    for peer in peers:
        await peer.close()


def test_a_poll_results_other_wordings_are_each_listed_once() -> None:
    result = {
        "text": "Reorganisatie",
        "answers": [
            "Reorganisatie",
            "reorganisatie!",
            "De reorganisatie van volgend jaar",
            "De reorganisatie van volgend jaar",
        ],
    }
    assert other_wordings(result) == ["De reorganisatie van volgend jaar"]


def test_a_ranked_poll_result_counts_in_the_singular_too() -> None:
    """Tenth trial: "1 times first" in the reports."""
    one = {"points": 1, "first": 1}
    assert poll_result(one, "rank", TEXT["en"], "Hybrid") == "Hybrid — 1 point, 1 time first"
    assert poll_result(one, "rank", TEXT["nl"], "Hybride") == "Hybride — 1 punt, 1 keer eerste"
    many = {"points": 7, "first": 2}
    assert poll_result(many, "rank", TEXT["en"], "Hybrid") == "Hybrid — 7 points, 2 times first"


def test_markdown_lists_a_rooms_scenarios_in_the_quadrants_order() -> None:
    """Tenth trial: the Markdown followed the order the stories were written in."""

    def story(quadrant: str, title: str) -> dict[str, Any]:
        return {"quadrant": quadrant, "title": title, "metaphor": "", "traits": [], "text": ""}

    axis = {"title": "Werk", "low": "kantoor", "high": "overal"}
    data = {
        "synthesis": {
            "scenarios": [
                {
                    "room_name": "Groep 1",
                    "axes": {"x": axis, "y": {**axis, "title": "Tempo"}},
                    "stories": [story("ll", "Laatst"), story("hh", "Eerst"), story("lh", "Derde")],
                }
            ]
        }
    }
    text = "\n".join(_scenarios(data, TEXT["nl"], "nl"))
    assert text.index("Eerst") < text.index("Derde") < text.index("Laatst")


def test_equal_poll_results_share_their_place_in_the_report() -> None:
    """Eleventh trial: the wall ranked 1, 1, 3 and the phones and reports 1, 2, 3."""
    open_results = [
        {"text": "Reorganisatie", "count": 3, "answers": []},
        {"text": "AI", "count": 3, "answers": []},
        {"text": "Werkdruk", "count": 1, "answers": []},
        {"text": "Baan", "count": 1, "answers": []},
    ]
    assert poll_places(open_results, "open") == [1, 1, 3, 3]
    ranked = [
        {"points": 5, "first": 2},
        {"points": 5, "first": 1},
        {"points": 5, "first": 1},
    ]
    assert poll_places(ranked, "rank") == [1, 2, 2]
    poll = {"question": "Wat?", "answers": 8, "kind": "open", "results": open_results}
    lines = [line for line in _polls([poll], TEXT["nl"]) if line.startswith("- ")]
    assert [line.split(" ", 2)[1] for line in lines] == ["1\\.", "1\\.", "3\\.", "3\\."]
    # Rendered, the places stand as written (a numbered list would renumber them).
    html = MarkdownIt().render("\n".join(lines))
    assert html.count("<li>") == 4 and "<li>1. <strong>AI</strong>" in html
    assert "<li>3. <strong>Baan</strong>" in html


def test_a_rooms_counts_are_singular_where_one() -> None:
    """Eleventh trial: "1 deelnemers" in the Markdown."""
    one = {"notes": [{}], "participants": 1}
    assert board_counts(one, TEXT["nl"]) == "1 briefje, 1 deelnemer"
    assert board_counts(one, TEXT["en"]) == "1 note, 1 participant"
    many = {"notes": [{}, {}], "participants": 0}
    assert board_counts(many, TEXT["nl"]) == "2 briefjes, 0 deelnemers"


def test_a_carried_item_says_its_lane_where_the_method_has_several() -> None:
    """Thirteenth trial: a backcast's top five mixed what stays and what disappears, unsaid."""
    item = {"title": "Papieren archief", "lane": "drop", "rooms": ["r1"], "room_names": ["Groep 1"]}
    assert (
        previous_line(item, TEXT["nl"]) == "Papieren archief — Wat verdwijnt · genoemd in Groep 1"
    )
    free = {**item, "lane": "note"}
    assert previous_line(free, TEXT["en"]) == "Papieren archief — raised in Groep 1"
