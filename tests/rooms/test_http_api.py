"""The HTTP contract: create, join (with balancing), overview, board, auth and bad input."""

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.client import Api
from tests.support.server import ServerProcess


async def test_healthz(api: Api) -> None:
    response = await api.http.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_create_answers_with_tokens_rooms_and_phases(api: Api) -> None:
    created = await api.create(method="scenario", rooms=3, language="nl")
    assert set(created) == {
        "id",
        "join_code",
        "moderator_token",
        "projector_token",
        "rooms",
        "phases",
    }
    assert [r["name"] for r in created["rooms"]] == ["Groep 1", "Groep 2", "Groep 3"]
    assert created["phases"] == ["lobby", "collect", "cluster", "rate", "plot", "story", "closed"]
    assert len(created["moderator_token"]) >= 43  # 256 bits, url-safe base64
    default = await api.http.post(
        "/api/workshops", json={"title": "t", "question": "q", "method": "backcast"}
    )
    assert len(default.json()["rooms"]) == 8
    assert default.json()["phases"] == ["lobby", "collect", "rate", "path", "closed"]


@pytest.mark.parametrize(
    "body",
    [
        {"title": "t", "question": "q", "method": "free", "colour": "red"},
        {"title": "t", "question": "q", "method": "lecture"},
        {"title": "t", "question": "q", "method": "free", "rooms": 0},
        {"title": "t", "question": "q", "method": "free", "rooms": 65},
        {"title": "t", "question": "q", "method": "free", "rooms": "8"},
        {"title": "t", "question": "q", "method": "free", "private_notes": "yes"},
        {"title": "t", "question": "q", "method": "free", "language": "de"},
        {"title": "  ", "question": "q", "method": "free"},
        {"title": "t" * 201, "question": "q", "method": "free"},
        {"question": "q", "method": "free"},
    ],
)
async def test_create_refuses_bad_bodies(api: Api, body: dict[str, Any]) -> None:
    response = await api.http.post("/api/workshops", json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"]


async def test_malformed_json_is_refused(api: Api) -> None:
    response = await api.http.post(
        "/api/workshops", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"] == "invalid"


async def test_oversized_body_is_413(api: Api) -> None:
    response = await api.http.post(
        "/api/workshops", json={"title": "x" * 100_000, "question": "q", "method": "free"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


async def test_seventy_joiners_over_eight_rooms_land_eight_or_nine(api: Api) -> None:
    created = await api.create(rooms=8)

    async def one(n: int) -> dict[str, Any]:
        return await api.join(created["join_code"], f"Assistent {n}")

    joined: list[dict[str, Any]] = []
    for batch in range(0, 70, 10):  # ten at a time, as a webinar's joins arrive
        joined += await asyncio.gather(*(one(n) for n in range(batch, batch + 10)))
    sizes = Counter(j["room_id"] for j in joined)
    assert len(sizes) == 8 and set(sizes.values()) <= {8, 9}, sizes
    assert len({j["token"] for j in joined}) == 70


async def test_join_refusals(api: Api) -> None:
    created = await api.create()
    other = await api.create()
    cases = [
        ({"code": "NOPE2345", "name": "A", "room": None}, 404, "not_found"),
        (
            {"code": created["join_code"], "name": "A", "room": other["rooms"][0]["id"]},
            404,
            "not_found",
        ),
        ({"code": created["join_code"], "name": "", "room": None}, 422, "invalid"),
        ({"code": created["join_code"], "name": "A" * 61, "room": None}, 422, "invalid"),
        (
            {"code": created["join_code"], "name": "A", "room": None, "role": "moderator"},
            422,
            "invalid",
        ),
    ]
    for body, status, code in cases:
        response = await api.http.post("/api/join", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["error"]["code"] == code
    lower = await api.join(created["join_code"].lower(), "Kleine letters")
    assert lower["workshop_id"] == created["id"]


async def test_overview_for_moderator_and_projector_only(api: Api) -> None:
    created = await api.create(rooms=3)
    member = await api.join(created["join_code"], "Anna")
    other = await api.create()
    path = f"/api/workshops/{created['id']}"
    for token in (created["moderator_token"], created["projector_token"]):
        response = await api.get(token, path)
        assert response.status_code == 200
        body = response.json()
        assert body["title"] == "Werk in 2030" and body["method"] == "free"
        assert body["phases"] == ["lobby", "open", "closed"]
        room = body["rooms"][0]
        assert {"id", "name", "phase", "locked", "online", "notes", "timer_ends_at"} <= set(room)
        assert sum(len(r["participants"]) for r in body["rooms"]) == 1
    assert (await api.get(member["token"], path)).status_code == 403
    assert (await api.get(other["moderator_token"], path)).status_code == 401
    assert (await api.http.get(path)).status_code == 401
    assert (await api.get("garbage", path)).json()["error"]["code"] == "unauthorized"


async def test_board_for_its_participants_and_viewers(api: Api) -> None:
    created = await api.create()
    first, second = (r["id"] for r in created["rooms"])
    member = await api.join(created["join_code"], "Anna", room=first)
    base = f"/api/workshops/{created['id']}/rooms"
    own = await api.get(member["token"], f"{base}/{first}/board")
    assert own.status_code == 200 and own.json()["room"] == first
    assert {"seq", "epoch", "notes", "my_votes"} <= set(own.json())
    assert (await api.get(member["token"], f"{base}/{second}/board")).status_code == 403
    assert (await api.get(created["projector_token"], f"{base}/{second}/board")).status_code == 200
    missing = await api.get(created["moderator_token"], f"{base}/r_nope/board")
    assert missing.status_code == 404


async def test_foreign_origin_cannot_change_state(api: Api) -> None:
    response = await api.http.post(
        "/api/workshops",
        json={"title": "t", "question": "q", "method": "free"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403


async def test_create_and_metrics_tokens_guard_creation_and_metrics(
    tmp_path: Path, artifacts: Path
) -> None:
    proc = ServerProcess(
        f"sqlite:///{tmp_path / 'guarded.db'}",
        artifacts / "guarded.log",
        PLENARY_CREATE_TOKEN="s3cret",
        PLENARY_METRICS_TOKEN="m3trics",
    ).start()
    try:
        body = {"title": "t", "question": "q", "method": "free"}
        wrong = {"Authorization": "Bearer nope"}
        async with httpx.AsyncClient(base_url=proc.base_url) as http:
            assert (await http.post("/api/workshops", json=body)).status_code == 401
            assert (await http.post("/api/workshops", json=body, headers=wrong)).status_code == 401
            right = {"Authorization": "Bearer s3cret"}
            assert (await http.post("/api/workshops", json=body, headers=right)).status_code == 201
            refused = await http.get("/metrics", headers=right)  # the create token is not it
            assert refused.status_code == 401
            assert refused.json()["error"]["code"] == "unauthorized"
            assert (await http.get("/metrics")).status_code == 401
            metrics = await http.get("/metrics", headers={"Authorization": "Bearer m3trics"})
            assert metrics.status_code == 200 and "plenary_connections" in metrics.text
    finally:
        proc.stop()
