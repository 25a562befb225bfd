"""A deadline for a request's headers, against slowloris: a connection that never finishes
its request line and headers is closed after PLENARY_HEADER_TIMEOUT seconds.

uvicorn's keep-alive timer only starts once a response is sent, so without this
a client that connects and trickles (or never sends) its headers is held forever.
A public deployment should still sit behind a reverse proxy (docs/deployment.md).
"""

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.config import get_settings


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose headers do not arrive in time."""

    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's headers."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Keep the clock running only while a request's headers are incomplete."""
        super().data_received(data)
        if self._waiting_for_headers():
            if self._deadline is None:
                self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the clock."""
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        """The next request on a kept-alive connection gets its own deadline."""
        super().on_response_complete()
        if self._waiting_for_headers() and self.conn.trailing_data[0]:
            self._arm()

    def _waiting_for_headers(self) -> bool:
        return self.conn.their_state == h11.IDLE

    def _arm(self) -> None:
        self._disarm()
        timeout = get_settings().header_timeout_s
        self._deadline = self.loop.call_later(timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        # A kept-alive connection that is merely idle is uvicorn's keep-alive timer's to close.
        idle = self.conn.their_state == h11.IDLE and not self.conn.trailing_data[0]
        stalled = self._waiting_for_headers() and not (idle and self.cycle is not None)
        if stalled and not self.transport.is_closing():
            self.transport.close()
