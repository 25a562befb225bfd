"""The `plenary` command: `plenary serve` runs the server on the configured host and port."""

import argparse

import uvicorn

from app.config import get_settings
from app.db import Database
from app.demo import seed_demo
from app.header_timeout import HeaderDeadlineProtocol
from app.logs import LOG_CONFIG


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run."""
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="plenary", description="Plenary facilitation server")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", default=settings.host)
    serve.add_argument("--port", type=int, default=settings.port)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--demo", action="store_true", help="create a sample workshop first")
    args = parser.parse_args(argv)
    base = f"http://{args.host}:{args.port}/"
    if args.demo:
        # Seeded before the server starts, in this process; the links use the public origin
        # when there is one (as join links and QR codes do).
        db = Database(settings.database_url, settings.durability)
        try:
            links = seed_demo(db, settings.public_url or base)
        finally:
            db.dispose()
        print(
            f"Demo workshop ready.\n  moderator: {links.moderate}\n  plenary:   {links.plenary}"
            f"\n  join:      {links.join}",
            flush=True,
        )
    print(f"Plenary is running at {base}", flush=True)
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        # Frames above our 64 KB limit must reach us so we can close with 4413.
        ws_max_size=1024 * 1024,
        # Compression per socket costs ~2x CPU and ~3x memory; events are small JSON.
        ws_per_message_deflate=False,
        proxy_headers=True,
        log_config=LOG_CONFIG,
        # Requests whose headers never finish are closed (slowloris); see the module.
        http=HeaderDeadlineProtocol,
    )


if __name__ == "__main__":
    main()
