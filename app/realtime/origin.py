"""Cross-site request guard: browsers send Origin, and it must be ours.

Without PLENARY_PUBLIC_URL, "ours" is the Host the request names, which serves a
laptop on any address; but a DNS-rebinding page controls both Host and Origin,
so a public deployment sets PLENARY_PUBLIC_URL and only that origin (and
PLENARY_ALLOWED_ORIGINS) is accepted.
"""

from collections.abc import Mapping
from urllib.parse import urlsplit


def origin_allowed(
    headers: Mapping[str, str], allow_list: list[str], public_url: str | None = None
) -> bool:
    """True for no Origin (a script, not a browser), our origin, or a listed one."""
    origin = headers.get("origin")
    if not origin:
        return True
    origin = origin.rstrip("/")
    if origin in allow_list or "*" in allow_list:
        return True
    if public_url:
        return origin.lower() == public_url.lower()
    host = headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()
