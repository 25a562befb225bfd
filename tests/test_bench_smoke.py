"""The load generator and the bare loop still work: a tiny scenario against both servers."""

from bench.run import Scenario, run_once, slow_moments


def test_bench_runs_against_bare_and_plenary() -> None:
    tiny = Scenario("tiny", "tiny", rooms=2, clients=6, interval=0.5, duration=2)
    for kind in ("bare", "plenary"):
        result = run_once(kind, tiny)
        assert result["connected"] == 6 and result["errors"] == 0, result
        assert result["notes"] >= 12 and result["complete"] == 1.0, result
        assert result["deliveries"] == result["notes"] * 3  # three people in each room
        assert result["fan_p50"] > 0 and result["cpu"] > 0
        assert len(result["timeline"]) == result["notes"]


def test_slow_moments_group_the_slow_notes_by_when_they_were_sent() -> None:
    timeline = [(100.0, 0.01), (100.1, 0.25), (100.2, 0.3), (103.6, 0.12), (104.0, 0.05)]
    assert slow_moments(timeline) == [
        "t=0.00 s: 2 notes, slowest 300 ms",
        "t=3.50 s: 1 notes, slowest 120 ms",
    ]
    assert slow_moments([(1.0, 0.01)]) == []


def test_pg_pipeline_replays_the_same_writes_both_ways() -> None:
    """Pipelined or not, each command stores its note, the next seq and its answer."""
    import psycopg

    from bench.pg_pipeline import measure, one_by_one, pipelined, prepare
    from tests.conftest import drop_pg_database, make_pg_database

    made = make_pg_database()
    try:
        prepare(made.url)
        for command in (one_by_one, pipelined):
            cpu, wall = measure(made.url, command, count=5, warm_up=0)
            assert cpu > 0 and wall > 0
        with psycopg.connect(made.url) as conn:
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM note), (SELECT count(*) FROM appliedcommand),"
                " (SELECT array_agg(seq ORDER BY seq) FROM event), (SELECT seq FROM stream)"
            ).fetchone()
        assert counts == (10, 10, list(range(1, 11)), 10)
    finally:
        drop_pg_database(made)
