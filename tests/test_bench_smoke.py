"""The load generator and the bare loop still work: a tiny scenario against both servers."""

from bench.run import Scenario, run_once


def test_bench_runs_against_bare_and_plenary() -> None:
    tiny = Scenario("tiny", "tiny", rooms=2, clients=6, interval=0.5, duration=2)
    for kind in ("bare", "plenary"):
        result = run_once(kind, tiny)
        assert result["connected"] == 6 and result["errors"] == 0, result
        assert result["notes"] >= 12 and result["complete"] == 1.0, result
        assert result["deliveries"] == result["notes"] * 3  # three people in each room
        assert result["fan_p50"] > 0 and result["cpu"] > 0
