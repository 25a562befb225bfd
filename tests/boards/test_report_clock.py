"""Reports are dated by the workshop's clock (the moderator's time zone), not the server's."""

from typing import Any

from app.clock import known_zone, local_date, local_minute
from tests.support.client import Api


def test_a_utc_time_reads_on_the_workshops_clock() -> None:
    assert local_minute("2026-11-30T13:05:00.000Z", "Europe/Amsterdam") == "2026-11-30 14:05 CET"
    assert local_minute("2026-07-01T23:30:00.000Z", "Europe/Amsterdam") == "2026-07-02 01:30 CEST"
    assert local_date("2026-07-01T23:30:00.000Z", "Europe/Amsterdam") == "2026-07-02"
    assert local_minute("2026-11-30T13:05:00.000Z", "UTC") == "2026-11-30 13:05 UTC"
    # A zone the machine does not know (an old row, a hand-made report) falls back to UTC.
    assert local_minute("2026-11-30T13:05:00.000Z", "Mars/Olympus") == "2026-11-30 13:05 UTC"


def test_only_real_zone_names_are_known() -> None:
    assert known_zone("Europe/Amsterdam") and known_zone("UTC")
    for bad in ("", "Mars/Olympus", "Europe", "../../etc/passwd", "/etc/localtime", "x" * 65):
        assert not known_zone(bad), bad


async def test_the_reports_follow_the_zone_given_at_creation(api: Api) -> None:
    for bad in ("Mars/Olympus", "../../etc/passwd", 3):
        refused = await api.http.post(
            "/api/workshops",
            json={"title": "T", "question": "Q", "method": "free", "timezone": bad},
        )
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["error"]["code"] == "invalid"
    first = await api.create(timezone="Europe/Amsterdam")
    base = f"/api/workshops/{first['id']}"
    exported = (await api.get(first["moderator_token"], f"{base}/export.json")).json()
    assert exported["workshop"]["timezone"] == "Europe/Amsterdam"
    markdown = (await api.get(first["moderator_token"], f"{base}/export.md")).text
    created = local_date(exported["workshop"]["created_at"], "Europe/Amsterdam")
    assert f"{created}  " in markdown
    assert "### Group 1 (0 notes, 0 participants)" in markdown  # counts say what they count
    made = local_minute(exported["generated_at"], "Europe/Amsterdam")[:10]
    assert f"**Made on:** {made} " in markdown and (" CET" in markdown or " CEST" in markdown)
    # A follow-up of a series keeps the first session's clock; without one it is UTC.
    body: dict[str, Any] = {"title": "Sessie 2", "question": "Q", "method": "free"}
    follow = await api.http.post(
        "/api/workshops",
        json={**body, "follows": first["id"]},
        headers={"Authorization": f"Bearer {first['moderator_token']}"},
    )
    assert follow.status_code == 201, follow.text
    second = follow.json()
    exported = (
        await api.get(second["moderator_token"], f"/api/workshops/{second['id']}/export.json")
    ).json()
    assert exported["workshop"]["timezone"] == "Europe/Amsterdam"
    plain = await api.create()
    exported = (
        await api.get(plain["moderator_token"], f"/api/workshops/{plain['id']}/export.json")
    ).json()
    assert exported["workshop"]["timezone"] == "UTC"
