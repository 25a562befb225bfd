"""Pure: the groupings the method is least sure of, offered to the moderator to settle with one tap.

- "Merge these?": two items whose notes are on average at least FLOOR of the
  threshold alike (below it, or kept apart as two of the moderator's items).
- "Move this note?": a note about as close, on average, to another item's notes
  as to its own item's (at least FLOOR of the threshold, and no more than SLACK
  of it below its own item).

Candidates are ranked by a score, not by similarity alone (on the labelled sets
similarity barely tells a right merge from a wrong one above FLOOR): the mean
similarity as a share of the threshold, plus evidence from words the two sides
share and few other items have (a word in only these two items counts 1, in
three 1/2, and so on), less a penalty when the notes come from one room (the
same idea raised in two rooms is what a synthesis merges; two notes of one room
are rarely one idea). A move also counts how much closer the note is to the
other item than to its own. The weights are chosen on labelled workshops
(bench/synthesis_quality.py, docs/synthesis.md).

Accepting one is a moderator's edit (a merge or a move), which every rebuild
keeps. Rejecting one is a cannot-link between two notes (the items' most central
ones, or the note and the other item's), so a rebuild keeps them apart and the
suggestion is never offered again.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.boards.synthesis import Grouped, closeness

LIMIT = 12  # suggestions offered at a time


@dataclass(frozen=True)
class Ranking:
    """Which candidates are considered and how they are ranked (shares of the threshold)."""

    floor: float = 0.45  # a merge or move is a candidate from this mean similarity
    slack: float = 0.0  # a move: the other item may be this much less close than the note's own
    shared: float = 1.0  # weight of the words the two sides share and few other items have
    room: float = 0.5  # taken off for the share of note pairs from one room
    margin: float = 0.0  # a move: weight of how much closer the other item is than its own
    move: float = 0.0  # added to a move's score (a right move saves two actions, a merge one)


# Chosen on the five labelled sets with the method in use (bench/synthesis_quality.py's
# choose_ranking; docs/synthesis.md reports it leave-one-subject-out).
RANKING = Ranking()
# Without the subject lexicon no ranking beat similarity alone held out (docs/synthesis.md),
# so there the earlier ranking stays: mean similarity from 0.6 of the threshold.
RANKING_WITHOUT_LEXICON = Ranking(floor=0.6, shared=0.0, room=0.0)


def ranking_for(lexicon: bool) -> Ranking:
    """The ranking in use, with or without the subject lexicon."""
    return RANKING if lexicon else RANKING_WITHOUT_LEXICON


@dataclass(frozen=True)
class Suggestion:
    """One question to the moderator, with the notes a rejection keeps apart."""

    id: str
    kind: str  # "merge" or "move"
    items: tuple[str, ...]  # merge: the two items; move: (from item, to item)
    note_id: str | None  # move: the note
    strength: float  # the ranking score: the higher, the surer
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


def _words(grouped: Grouped, note: int) -> set[str]:
    vector = grouped.prepared.features[note].vector
    return {k for k, v in vector.items() if v > 0 and k[:2] in ("w:", "c:")}


def suggest(
    grouped: Grouped,
    threshold: float,
    cannot: Sequence[tuple[str, str]] = (),
    limit: int = LIMIT,
    ranking: Ranking = RANKING,
    placed: frozenset[str] = frozenset(),
) -> list[Suggestion]:
    """The merges and moves the method is least sure of, for one lane, likeliest first.

    `placed` are the notes the moderator put where they are (in an item they shaped):
    no suggestion offers to move them out again.

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
    # Words and rooms of each item; how many items hold each word.
    words = [set().union(*(_words(grouped, i) for i in group)) for group in groups]
    held = Counter(word for found in words for word in found)
    rooms = [Counter(prepared.notes[i].room for i in group) for group in groups]

    def evidence(mine: set[str], g: int, h: int) -> float:
        shared = mine & words[h]
        return sum(1.0 / max(1, held[w] - 1) for w in shared) if shared else 0.0

    floor = ranking.floor * threshold
    found: list[tuple[float, str, int, int, int | None]] = []  # score, kind, g, h, node
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
        if mean < floor or frozenset((g, h)) in apart_groups:
            continue
        one_room = sum(n * rooms[h][r] for r, n in rooms[g].items()) / (size[g] * size[h])
        score = (
            mean / threshold + ranking.shared * evidence(words[g], g, h) - ranking.room * one_room
        )
        found.append((score, "merge", g, h, None))
    for node, sums in to.items():
        g = group_of[node]
        if size[g] < 2 or any(prepared.notes[i].id in placed for i in prepared.nodes[node]):
            continue
        own = sums.get(g, 0.0) / (size[g] - 1)
        kept_from = {group_of[v] for v in partners.get(node, ())}
        best, best_mean = None, own - ranking.slack * threshold
        for h, total in sorted(sums.items()):
            mean = total / size[h]
            if h != g and mean > best_mean and h not in kept_from:
                best, best_mean = h, mean
        if best is None or best_mean < floor:
            continue
        note = prepared.nodes[node][0]
        room = prepared.notes[note].room
        score = (
            best_mean / threshold
            + ranking.margin * (best_mean - own) / threshold
            + ranking.shared * evidence(_words(grouped, note), g, best)
            - ranking.room * (1.0 if rooms[best][room] else 0.0)
            + ranking.move
        )
        found.append((score, "move", g, best, node))
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
