"""The one error type every layer raises: a PROTOCOL.md code, a sentence, an HTTP status."""

from typing import Any

STATUS_BY_CODE = {
    "invalid": 422,
    "unauthorized": 401,
    "forbidden": 403,
    "phase_forbids": 409,
    "locked": 409,
    "not_found": 404,
    "conflict": 409,
    "too_large": 413,
    "rate_limited": 429,
    "unknown_op": 400,
}


class PlenaryError(Exception):
    """A refusal the caller can act on; nothing was changed when it is raised."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra

    @property
    def status(self) -> int:
        """The HTTP status that fits the code."""
        return STATUS_BY_CODE.get(self.code, 400)

    def body(self) -> dict[str, Any]:
        """The error as PROTOCOL.md's `{"error": {...}}` body."""
        return {"error": {"code": self.code, "message": self.message, **self.extra}}
