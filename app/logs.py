"""Structured (JSON lines) logs, with tokens blanked and client-provoked noise rate-limited.

Every logger goes through one JSON handler (asyncio's own lines included). A
line a client can provoke at will (an invalid frame, a vanished socket) is a
warning without a traceback, and any one kind of line is written at most
LINES_PER_MINUTE times a minute; the next one says how many were left out.
"""

import json
import logging
import re
import threading
import time
from typing import Any

_SECRETS = [
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),
    (re.compile(r'("token"\s*:\s*")[^"]*'), r"\1[redacted]"),
    (re.compile(r"(token=)[^&\s\"']+"), r"\1[redacted]"),
]


def redact(text: str) -> str:
    """The text with bearer tokens, JSON token fields and token= parameters blanked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactTokens(logging.Filter):
    """Never let a token reach a log line, whoever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted."""
        record.msg = redact(record.getMessage())
        record.args = None
        return True


LINES_PER_MINUTE = 20

# What a client can make the server log at will; not errors of the server's own.
CLIENT_PROVOKED = (
    "Invalid UTF-8 sequence received from client",
    "socket.send() raised exception",
    "Invalid HTTP request received",
    "Unsupported upgrade request",
    "dropping slow consumer",
    "Exceeded concurrency limit",
)


class ClientNoise(logging.Filter):
    """Client-provoked lines become plain warnings; each kind of line is rate-limited."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], list[float]] = {}  # [window start, written, left out]

    def filter(self, record: logging.LogRecord) -> bool:
        """Downgrade, count, and let through at most LINES_PER_MINUTE of a kind a minute."""
        template = str(record.msg)
        if any(template.startswith(known) for known in CLIENT_PROVOKED):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, template[:120])
        now = time.monotonic()
        with self._lock:
            window = self._windows.get(key)
            if window is None or now - window[0] >= 60:
                left_out = int(window[2]) if window else 0
                window = self._windows[key] = [now, 0, 0]
                if len(self._windows) > 1000:
                    self._windows = {key: window}
                if left_out:
                    record.msg = f"{record.getMessage()} (and {left_out} more like it left out)"
                    record.args = None
            if window[1] >= LINES_PER_MINUTE:
                window[2] += 1
                return False
            window[1] += 1
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the error, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        """Render a record."""
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "app.logs.RedactTokens"},
        "noise": {"()": "app.logs.ClientNoise"},
    },
    "formatters": {"json": {"()": "app.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["noise", "redact"],
            "stream": "ext://sys.stderr",
        }
    },
    # Everything else (asyncio, libraries) through the same JSON handler.
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "plenary": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
