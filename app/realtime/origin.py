"""Cross-site WebSocket hijacking guard: browsers send Origin, and it must be ours."""

from collections.abc import Mapping
from urllib.parse import urlsplit


def origin_allowed(headers: Mapping[str, str], allow_list: list[str]) -> bool:
    """True for no Origin (a script, not a browser), our own host, or a listed origin."""
    origin = headers.get("origin")
    if not origin:
        return True
    origin = origin.rstrip("/")
    if origin in allow_list or "*" in allow_list:
        return True
    host = headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()
