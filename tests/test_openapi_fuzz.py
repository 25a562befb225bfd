"""schemathesis against the live OpenAPI schema: no input makes the server answer 5xx."""

import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.server import ServerProcess


def test_schemathesis_finds_no_server_error(tmp_path: Path, artifacts: Path) -> None:
    server = ServerProcess(
        f"sqlite:///{tmp_path / 'st.db'}", artifacts / "schemathesis.log"
    ).start()
    try:
        created = httpx.post(
            server.base_url + "/api/workshops",
            json={"title": "fuzz", "question": "q", "method": "scenario", "rooms": 2},
        ).json()
        log_start = server.log_path.stat().st_size
        cli = Path(sys.executable).parent / "schemathesis"
        result = subprocess.run(
            [
                str(cli),
                "run",
                f"{server.base_url}/openapi.json",
                "--checks",
                "not_a_server_error",
                "--max-examples",
                "25",
                "--seed",
                "1",
                "--header",
                f"Authorization: Bearer {created['moderator_token']}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout[-3000:]
        assert "generated" in result.stdout
        with server.log_path.open("rb") as log:
            log.seek(log_start)
            assert b'"level": "error"' not in log.read()
    finally:
        server.stop()
