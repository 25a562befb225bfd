"""What a follow-up workshop carries of the one before: its question and top five items."""

from typing import Any

from sqlmodel import Session

from app.boards.synthesis_read import gather, stored_items
from app.boards.synthesis_view import views
from app.rooms import service as rooms

TOP = 5


def previous_summary(session: Session, workshop_id: str) -> dict[str, Any]:
    """The earlier workshop's title, question and top items (the moderator's view)."""
    workshop = rooms.get_workshop(session, workshop_id)
    inputs = gather(session, workshop_id)
    names = {r.id: r.name for r in inputs.rooms}
    order = {r.id: n for n, r in enumerate(inputs.rooms)}
    items = views(stored_items(session, workshop_id), inputs)[:TOP]

    def in_order(room_ids: list[str]) -> list[str]:
        # The workshop's own order (Groep 1, Groep 2, ...): `rooms` and `room_names` line up.
        return sorted(room_ids, key=lambda r: order.get(r, len(order)))

    return {
        "id": workshop.id,
        "title": workshop.title,
        "question": workshop.question,
        "items": [
            {
                "title": item.title,
                "lane": item.lane,  # backcasting's five mix what stays, is new, disappears
                "rooms": in_order(item.rooms),
                "room_names": [names.get(r, r) for r in in_order(item.rooms)],
                "score": item.score,
            }
            for item in items
        ],
    }
