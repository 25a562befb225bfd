"""A Redis server of the test's own, on a free port, that the test may stop and start."""

import shutil
import subprocess
import time
from pathlib import Path

import redis

from tests.support.server import free_port


class RedisProcess:
    """`redis-server` without persistence, on its own port."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        """Whether the redis-server binary is installed."""
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        """Its URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisProcess":
        """Start and wait for PONG."""
        log = open(self.log_path, "ab")  # noqa: SIM115 -- lives as long as the process
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                if client.ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Kill it (like a crash or a network cut)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
