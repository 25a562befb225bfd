"""Real server processes for tests: `plenary serve` on a free port, killable and restartable."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """One uvicorn server in its own process, on its own port."""

    def __init__(self, database_url: str, log_path: Path, *extra_args: str, **env: str) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.extra_args = list(extra_args)
        self.env = env
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The HTTP root."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """The WebSocket root."""
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> "ServerProcess":
        """Start and wait until /healthz answers."""
        # Tests create many workshops and joins from one address: unlimited unless a test
        # sets the limits itself.
        unlimited = {"PLENARY_CREATE_RATE": "0", "PLENARY_JOIN_RATE": "0"}
        env = {**os.environ, **unlimited, "DATABASE_URL": self.database_url, **self.env}
        env.pop("REDIS_URL", None) if "REDIS_URL" not in self.env else None
        log = open(self.log_path, "ab")  # noqa: SIM115 -- lives as long as the process
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port), *self.extra_args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: see {self.log_path}")
            try:
                if httpx.get(self.base_url + "/healthz", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server did not start: see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, like a crash."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        """Terminate gracefully."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
