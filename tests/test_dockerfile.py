"""The Dockerfile's steps, run without Docker: copy, install, configure, start, health check.

No engine runs here, so the base image itself is not tested. Everything the
Dockerfile does on top of it is: in a fresh virtualenv standing in for the
image's Python, with the image's absolute paths (/srv, /data) moved under a
temporary folder. An instruction this test does not know fails it, so the
test cannot silently fall behind the Dockerfile.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.server import ROOT, free_port

KNOWN = {"FROM", "WORKDIR", "COPY", "RUN", "ENV", "VOLUME", "EXPOSE", "HEALTHCHECK", "CMD"}


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    steps = []
    for line in re.sub(r"\\\n", " ", text).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            steps.append((word.upper(), rest.strip()))
    return steps


def test_the_image_steps_install_and_serve(tmp_path: Path) -> None:
    steps = instructions((ROOT / "Dockerfile").read_text())
    assert {word for word, _ in steps} <= KNOWN, steps
    root = tmp_path / "image"

    def inside(text: str) -> str:
        return re.sub(r"/(data|srv)(?![\w-])", lambda m: f"{root}/{m.group(1)}", text)

    venv = tmp_path / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv}/bin:{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    for name in ("DATABASE_URL", "REDIS_URL", "HOST", "PORT"):
        env.pop(name, None)
    workdir, volumes, health, command, exposed = root, [], "", [], ""
    for word, args in steps:
        if word == "FROM":
            assert args.startswith(f"python:{sys.version_info.major}.{sys.version_info.minor}")
        elif word == "WORKDIR":
            workdir = Path(inside(args))
            workdir.mkdir(parents=True, exist_ok=True)
        elif word == "COPY":
            *sources, target = args.split()
            into = workdir / target
            for source in sources:
                if (ROOT / source).is_dir():
                    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
                    shutil.copytree(ROOT / source, into, ignore=ignore, dirs_exist_ok=True)
                else:
                    into.mkdir(parents=True, exist_ok=True)
                    shutil.copy(ROOT / source, into)
        elif word == "RUN":
            subprocess.run(inside(args), shell=True, cwd=workdir, env=env, check=True, timeout=600)
        elif word == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(inside(args)))
        elif word == "VOLUME":
            volumes = [Path(inside(path)) for path in json.loads(args)]
        elif word == "EXPOSE":
            exposed = args
        elif word == "HEALTHCHECK":
            health = args.split(" CMD ", 1)[1]
        elif word == "CMD":
            command = json.loads(args)
    assert exposed == env["PORT"] and env["HOST"] == "0.0.0.0"
    assert all(volume.is_dir() for volume in volumes) and volumes
    env["PORT"] = str(free_port())  # the image's port may be taken on this machine
    log = open(tmp_path / "image.log", "wb")  # noqa: SIM115 -- closed below
    server = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(f"{base}/healthz", timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert server.poll() is None, (tmp_path / "image.log").read_text()
        assert subprocess.run(health, shell=True, env=env, timeout=10).returncode == 0
        assert "Plenary" in httpx.get(f"{base}/").text  # templates and static beside the code
        assert httpx.get(f"{base}/static/css/app.css").status_code == 200
        body = {"title": "Docker", "question": "Draait het?", "method": "free"}
        assert httpx.post(f"{base}/api/workshops", json=body).status_code == 201
        assert (volumes[0] / "plenary.db").is_file()  # the data went to the volume
    finally:
        server.terminate()
        server.wait(10)
        log.close()
