"""Wall-clock time as the protocol writes it: ISO-8601 UTC with millisecond precision."""

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_aware(moment: datetime) -> datetime:
    """A stored time as timezone-aware UTC (SQLite gives naive datetimes back)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    """Render a time as `2026-11-28T17:15:18.123Z` (None stays None)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now_iso() -> str:
    """The current time, rendered."""
    return iso(utcnow()) or ""


def known_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this machine knows ("Europe/Amsterdam")."""
    return name in _zones()


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    # A set of names, not ZoneInfo(name): that would also open folders and odd files.
    return frozenset(available_timezones())


def local_minute(stamp: str, zone: str) -> str:
    """An ISO UTC time as the workshop's clock reads it: `2026-11-30 14:05 CET`."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    local = as_aware(moment).astimezone(ZoneInfo(zone if known_zone(zone) else "UTC"))
    return local.strftime("%Y-%m-%d %H:%M %Z")


def local_date(stamp: str, zone: str) -> str:
    """The day of an ISO UTC time on the workshop's clock."""
    return local_minute(stamp, zone)[:10]
