"""Polls as they happen: results growing live on the projection, and closing with the final ranking.

Answers are many and quick; results are computed at most every
RESULTS_EVERY_S per poll in this process (the first answer's at once), from the
answers as stored, outside any write transaction, and sent as one
`poll.results` event. Large polls are computed in the worker process.
"""

import asyncio
from typing import Any

from app.boards.models import Poll, PollAnswer
from app.boards.poll_rules import compute_results
from app.boards.polls import (
    get_poll,
    plain_answers,
    polls_for,
    publish_results,
    read_answers,
    results_event,
    shut_poll,
)
from app.boards.synthesis_build import SynthesisBuilder
from app.realtime.engine import Realtime
from app.realtime.gateway import Identity
from app.realtime.tasks import spawn
from app.rooms import service as rooms

RESULTS_EVERY_S = 0.3
IN_WORKER_FROM = 300  # answers: more than this are grouped in the worker process


class PollDesk:
    """This process's share of running polls: live results and closing."""

    def __init__(self, realtime: Realtime, builder: SynthesisBuilder) -> None:
        self.rt = realtime
        self.builder = builder
        self._due: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._sent: dict[tuple[str, str], float] = {}

    def answered(self, identity: Identity, _stream: str, data: dict[str, Any]) -> None:
        """A `poll.answer` was stored: schedule fresh results (coalesced)."""
        poll_id = data.get("poll")
        if isinstance(poll_id, str):
            key = (identity.workshop_id, poll_id)
            if key not in self._due:
                self._due[key] = spawn(self._results_later(key))

    async def _results_later(self, key: tuple[str, str]) -> None:
        loop = asyncio.get_running_loop()
        try:
            due = self._sent.get(key, -RESULTS_EVERY_S) + RESULTS_EVERY_S
            if due > loop.time():
                await asyncio.sleep(due - loop.time())
        finally:
            del self._due[key]  # answers from here on schedule another round
        self._sent[key] = loop.time()
        workshop_id, poll_id = key
        poll, answers = await self.rt.db.read(lambda s: read_answers(s, workshop_id, poll_id))
        if not poll.open:
            self._sent.pop(key, None)
            return
        results = await self._compute(poll, answers)
        event = results_event(workshop_id, poll, len(answers), results)
        await self.rt.commit(
            lambda _s: [event], "moderator", locks=(rooms.synthesis_stream(workshop_id),)
        )

    async def _compute(self, poll: Poll, answers: list[PollAnswer]) -> list[dict[str, Any]]:
        plain = plain_answers(poll, answers)
        if len(answers) > IN_WORKER_FROM:
            return await self.builder.offload(compute_results, *plain)
        return compute_results(*plain)

    async def close(self, identity: Identity, poll_id: str) -> dict[str, Any]:
        """Stop answers, compute the final results, show them in every room."""
        workshop_id = identity.workshop_id
        db = self.rt.db
        await db.write(lambda s: shut_poll(s, workshop_id=workshop_id, poll_id=poll_id))
        poll, answers = await db.read(lambda s: read_answers(s, workshop_id, poll_id))
        if poll.results is None:  # not published yet (by us now, or by a process that died)
            results = await self._compute(poll, answers)
            await self.rt.commit(
                lambda s: publish_results(
                    s,
                    workshop_id=workshop_id,
                    poll_id=poll_id,
                    results=results,
                    answers=len(answers),
                ),
                "moderator",
            )
        return await db.read(lambda s: _final(s, identity, poll_id))


def _final(session: Any, identity: Identity, poll_id: str) -> dict[str, Any]:
    get_poll(session, identity.workshop_id, poll_id)
    return next(p for p in polls_for(session, identity) if p["id"] == poll_id)
