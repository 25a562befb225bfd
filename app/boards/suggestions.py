"""Pure: the groupings the method is least sure of, offered to the moderator to settle with one tap.

- "Merge these?": two items whose notes are on average almost as close as the
  threshold asks (at least MARGIN of it), strongest first.
- "Move this note?": a note closer, on average, to another item's notes than to
  its own item's.

Accepting one is a moderator's edit (a merge or a move), which every rebuild
keeps. Rejecting one is a cannot-link between two notes (the items' most central
ones, or the note and the other item's), so a rebuild keeps them apart and the
suggestion is never offered again.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from app.boards.synthesis import Grouped, closeness

MARGIN = 0.6  # a merge is suggested from this share of the threshold
LIMIT = 12  # suggestions offered at a time


@dataclass(frozen=True)
class Suggestion:
    """One question to the moderator, with the notes a rejection keeps apart."""

    id: str
    kind: str  # "merge" or "move"
    items: tuple[str, ...]  # merge: the two items; move: (from item, to item)
    note_id: str | None  # move: the note
    strength: float  # the mean similarity as a share of the threshold: the higher, the surer
    apart: tuple[str, str]  # the two notes a rejection keeps apart

    def as_dict(self) -> dict[str, object]:
        """The suggestion as the protocol writes it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "items": list(self.items),
            "note_id": self.note_id,
            "strength": round(self.strength, 3),
        }


def _central(grouped: Grouped, group: Sequence[int]) -> int:
    close = closeness(grouped.prepared, group)
    return min(group, key=lambda i: (-round(close[i], 9), i))


def suggest(
    grouped: Grouped,
    threshold: float,
    cannot: Sequence[tuple[str, str]] = (),
    limit: int = LIMIT,
) -> list[Suggestion]:
    """The merges and moves the method is least sure of, for one lane, closest calls first.

    One pass over the similarity graph: time grows with its links, not with the
    square of the items' sizes.
    """
    prepared, groups = grouped.prepared, grouped.groups
    group_of = {prepared.node_of[i]: g for g, group in enumerate(groups) for i in group}
    weight = [len(members) for members in prepared.nodes]
    size = [sum(1 for _ in group) for group in groups]
    # to[node][group]: summed similarity of one of the node's notes to that group's notes.
    to: dict[int, dict[int, float]] = {}
    for node, g in group_of.items():
        sums: dict[int, float] = {g: weight[node] - 1.0}  # identical notes: as close as can be
        for other, similarity in prepared.graph[node].items():
            h = group_of[other]
            sums[h] = sums.get(h, 0.0) + similarity * weight[other]
        to[node] = sums
    index = {note.id: i for i, note in enumerate(prepared.notes)}
    partners: dict[int, set[int]] = {}  # node -> nodes a rejection keeps apart from it
    for a, b in cannot:
        if a in index and b in index:
            na, nb = prepared.node_of[index[a]], prepared.node_of[index[b]]
            partners.setdefault(na, set()).add(nb)
            partners.setdefault(nb, set()).add(na)
    apart_groups = {
        frozenset((group_of[u], group_of[v])) for u, near in partners.items() for v in near
    }
    found: list[tuple[float, str, int, int, int | None]] = []  # strength, kind, g, h, node
    between: dict[tuple[int, int], float] = {}
    for node, sums in to.items():
        g = group_of[node]
        for h, total in sums.items():
            if h > g:
                between[(g, h)] = between.get((g, h), 0.0) + weight[node] * total
            elif h < g:
                between[(h, g)] = between.get((h, g), 0.0) + weight[node] * total
    for (g, h), total in between.items():
        mean = total / (2 * size[g] * size[h])  # each pair was counted from both sides
        if MARGIN * threshold <= mean < threshold and frozenset((g, h)) not in apart_groups:
            found.append((mean / threshold, "merge", g, h, None))
    for node, sums in to.items():
        g = group_of[node]
        if size[g] < 2:
            continue
        own = sums.get(g, 0.0) / (size[g] - 1)
        kept_from = {group_of[v] for v in partners.get(node, ())}
        best, best_mean = None, own
        for h, total in sorted(sums.items()):
            mean = total / size[h]
            if h != g and mean > best_mean and h not in kept_from:
                best, best_mean = h, mean
        if best is not None and best_mean >= MARGIN * threshold:
            found.append((best_mean / threshold, "move", g, best, node))
    found.sort(key=lambda c: (-c[0], _id(grouped, *c[1:])))
    return [_suggestion(grouped, *candidate) for candidate in found[:limit]]


def _id(grouped: Grouped, kind: str, g: int, h: int, node: int | None) -> str:
    item_ids = grouped.item_ids
    if node is None:
        a, b = sorted((item_ids[g], item_ids[h]))
        return f"merge:{a}:{b}"
    return f"move:{grouped.prepared.notes[grouped.prepared.nodes[node][0]].id}:{item_ids[h]}"


def _suggestion(
    grouped: Grouped, strength: float, kind: str, g: int, h: int, node: int | None
) -> Suggestion:
    notes, groups, item_ids = grouped.prepared.notes, grouped.groups, grouped.item_ids
    if node is None:
        a, b = sorted((item_ids[g], item_ids[h]))
        anchors = (notes[_central(grouped, groups[g])].id, notes[_central(grouped, groups[h])].id)
        return Suggestion(f"merge:{a}:{b}", "merge", (a, b), None, strength, anchors)
    note = notes[grouped.prepared.nodes[node][0]].id
    anchor = notes[_central(grouped, groups[h])].id
    return Suggestion(
        f"move:{note}:{item_ids[h]}",
        "move",
        (item_ids[g], item_ids[h]),
        note,
        strength,
        (note, anchor),
    )
