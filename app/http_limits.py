"""Creating and joining, rate limited per client address (PLENARY_CREATE_RATE, PLENARY_JOIN_RATE).

Unlimited joins would also mint unlimited participants, and with them unlimited
per-participant command budgets; a limit per address closes that door. The
address is the connection's, or the one a trusted proxy forwards (uvicorn's
`--forwarded-allow-ips`). Per process, like the command limits.
"""

import time
from collections import OrderedDict

from fastapi import Request

from app.errors import PlenaryError
from app.realtime.ratelimit import TokenBucket

MAX_ADDRESSES = 50_000  # the oldest are forgotten beyond this; a forgotten one starts afresh


class AddressLimiter:
    """`per_minute` requests per client address, with a burst of the same size; 0 = unlimited."""

    def __init__(self, per_minute: int, what: str) -> None:
        self.per_minute = per_minute
        self.what = what
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def check(self, request: Request) -> None:
        """Refuse with 429 when this address is over its budget."""
        if self.per_minute <= 0:
            return
        address = request.client.host if request.client else "?"
        bucket = self._buckets.pop(address, None)
        if bucket is None:
            bucket = TokenBucket(self.per_minute / 60.0, float(self.per_minute))
        self._buckets[address] = bucket
        if len(self._buckets) > MAX_ADDRESSES:
            self._buckets.popitem(last=False)
        if not bucket.take(time.monotonic()):
            raise PlenaryError(
                "rate_limited",
                f"Too many {self.what} from this address; at most {self.per_minute} a minute.",
            )
