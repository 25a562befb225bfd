"""Token buckets: a steady rate with room for a burst; pure, with the clock passed in."""

from dataclasses import dataclass


@dataclass
class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; each command takes one."""

    rate: float
    burst: float
    tokens: float = -1.0
    updated: float = 0.0

    def take(self, now: float) -> bool:
        """Spend a token if there is one (refilling for the time passed)."""
        if self.tokens < 0:
            self.tokens, self.updated = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class Strikes:
    """Refusals in a row; persistent abuse is what closes a socket, not one burst."""

    limit: int
    count: int = 0

    def record(self, refused: bool) -> bool:
        """Count a refusal (or forgive on success); True once the limit is reached."""
        self.count = self.count + 1 if refused else 0
        return self.count >= self.limit
