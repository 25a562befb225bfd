"""The code stays ruff- and mypy-clean: checked by the suite, so CI enforces it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a module of this interpreter in the project root."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_is_clean() -> None:
    result = run("ruff", "check", "app", "bench", "tests")
    assert result.returncode == 0, result.stdout + result.stderr
    fmt = run("ruff", "format", "--check", "app", "bench", "tests")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict_is_clean() -> None:
    result = run("mypy", "app")
    assert result.returncode == 0, result.stdout + result.stderr
