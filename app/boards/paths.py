"""Pure: the order of a backcast room's path, and where each step sits on it."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any


def path_key(x: float | None, created_at: Any) -> tuple[bool, float, Any]:
    """How steps sort on a path: by the place the room gave them (`x`), unplaced last, then age."""
    return (x is None, x if x is not None else 0.0, created_at)


def places(steps: Iterable[tuple[str, str, float | None, Any]]) -> dict[str, float]:
    """Each step's place on its room's path, 0 (the first, today) to 1 (the last, the horizon).

    `steps` are `(note id, room, x, created_at)`. A path of one step puts it halfway,
    so a lone step neither leads nor trails steps of longer paths.
    """
    by_room: dict[str, list[tuple[tuple[bool, float, Any], str]]] = defaultdict(list)
    for note_id, room, x, created_at in steps:
        by_room[room].append((path_key(x, created_at), note_id))
    found: dict[str, float] = {}
    for path in by_room.values():
        path.sort()
        last = len(path) - 1
        for index, (_key, note_id) in enumerate(path):
            found[note_id] = index / last if last else 0.5
    return found


def mean_place(note_ids: Iterable[str], known: dict[str, float]) -> float | None:
    """The mean place of some steps (an item's notes), or None when none is a step."""
    found = [known[n] for n in note_ids if n in known]
    return round(sum(found) / len(found), 3) if found else None
