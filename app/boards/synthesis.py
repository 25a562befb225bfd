"""Pure synthesis: the notes of every room in, items across rooms with provenance out.

Notes are grouped by what they say (textsim: stems, compound parts, concepts in
Dutch and English, character n-grams) with average-linkage clustering, lane by
lane. A room's own cluster raises the similarity of its notes, so it stays
together unless its notes really differ; the moderator's items (seeds) are kept
whole and never merged with each other. Deterministic: same input, same output.
"""

import heapq
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.boards.rules import score_summary
from app.boards.textsim import featurise

THRESHOLD = 0.14  # average similarity needed to merge; measured in docs/synthesis.md
ROOM_CLUSTER_BONUS = 0.35
MAX_POSTING_SHARE = 0.15  # features in more notes than this add little and cost much


@dataclass(frozen=True)
class NoteIn:
    """A note as the synthesis needs it."""

    id: str
    room: str
    lane: str
    text: str
    cluster: str | None = None


@dataclass(frozen=True)
class VoteIn:
    """One vote on a note or a room's cluster."""

    target: str
    impact: int
    uncertainty: int


@dataclass(frozen=True)
class Seed:
    """An item the moderator shaped: its notes stay together, apart from other seeds."""

    item_id: str
    note_ids: frozenset[str]
    title: str | None = None


@dataclass
class Item:
    """A merged idea: its notes from every room, pooled votes and a score."""

    id: str
    title: str
    lane: str
    note_ids: list[str]
    rooms: list[str]
    impact: dict[str, float | int | None]
    uncertainty: dict[str, float | int | None]
    score: float
    edited: bool = False
    cluster_ids: list[str] = field(default_factory=list)


def similarities(notes: list[NoteIn]) -> dict[tuple[int, int], float]:
    """Cosine similarity of note pairs (i < j) that share a feature.

    Features found in more than MAX_POSTING_SHARE of the notes are left out of the
    sums: their weight is low, and pairing everything with everything is what
    would make 5,000 notes slow.
    """
    features = featurise([n.text for n in notes])
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, f in enumerate(features):
        for key, weight in f.vector.items():
            postings[key].append((i, weight))
    cap = max(25, int(MAX_POSTING_SHARE * len(notes)))
    sims: dict[tuple[int, int], float] = defaultdict(float)
    for posting in postings.values():
        if len(posting) > cap:
            continue
        for a in range(len(posting)):
            i, wi = posting[a]
            for b in range(a + 1, len(posting)):
                j, wj = posting[b]
                sims[(i, j)] += wi * wj
    for i, j in list(sims):
        first, second = notes[i], notes[j]
        if first.cluster is not None and first.cluster == second.cluster:
            sims[(i, j)] = min(1.0, sims[(i, j)] + ROOM_CLUSTER_BONUS)
    for i, j in _same_cluster_pairs(notes):
        if (i, j) not in sims:
            sims[(i, j)] = ROOM_CLUSTER_BONUS
    return dict(sims)


def _same_cluster_pairs(notes: list[NoteIn]) -> list[tuple[int, int]]:
    members: dict[str, list[int]] = defaultdict(list)
    for i, note in enumerate(notes):
        if note.cluster is not None:
            members[note.cluster].append(i)
    return [
        (a, b) for group in members.values() for x, a in enumerate(group) for b in group[x + 1 :]
    ]


def group_notes(
    notes: list[NoteIn], seeds: Sequence[Seed] = (), threshold: float = THRESHOLD
) -> list[list[int]]:
    """Average-linkage groups of note indices; seeds start whole and never meet."""
    seed_of: dict[int, str] = {}
    index = {note.id: i for i, note in enumerate(notes)}
    for seed in seeds:
        for note_id in seed.note_ids:
            if note_id in index:
                seed_of[index[note_id]] = seed.item_id
    groups: dict[int, list[int]] = {}
    owner: dict[int, int] = {}
    seed_group: dict[str, int] = {}
    for i in range(len(notes)):
        sid = seed_of.get(i)
        if sid is not None and sid in seed_group:
            gid = seed_group[sid]
            groups[gid].append(i)
        else:
            gid = i
            groups[gid] = [i]
            if sid is not None:
                seed_group[sid] = gid
        owner[i] = gid
    group_seed = {gid: sid for sid, gid in seed_group.items()}
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), sim in similarities(notes).items():
        a, b = owner[i], owner[j]
        if a != b:
            links[a][b] = links[a].get(b, 0.0) + sim
            links[b][a] = links[b].get(a, 0.0) + sim
    heap: list[tuple[float, int, int]] = []
    for a, near in links.items():
        for b, total in near.items():
            if a < b:
                heapq.heappush(heap, (-total / (len(groups[a]) * len(groups[b])), a, b))
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in groups or b not in groups:
            continue
        average = links[a].get(b, 0.0) / (len(groups[a]) * len(groups[b]))
        if abs(average + negative) > 1e-12:
            continue  # stale: the pair changed since it was pushed
        if average < threshold:
            break
        if a in group_seed and b in group_seed:
            continue  # the moderator kept these apart
        keep, gone = (a, b) if a < b else (b, a)
        groups[keep].extend(groups.pop(gone))
        if gone in group_seed:
            group_seed[keep] = group_seed.pop(gone)
        for other, total in links.pop(gone).items():
            links[other].pop(gone, None)
            if other == keep:
                continue
            links[keep][other] = links[keep].get(other, 0.0) + total
            links[other][keep] = links[keep][other]
        links[keep].pop(gone, None)
        for other, total in links[keep].items():
            average = total / (len(groups[keep]) * len(groups[other]))
            if average >= threshold:
                first, second = (keep, other) if keep < other else (other, keep)
                heapq.heappush(heap, (-average, first, second))
    return [sorted(members) for _, members in sorted(groups.items())]


def representative(
    notes: list[NoteIn], members: list[int], sims: dict[tuple[int, int], float]
) -> str:
    """The wording closest to all others in the group (ties: the shorter, then the first)."""

    def closeness(i: int) -> float:
        return sum(sims.get((min(i, j), max(i, j)), 0.0) for j in members if j != i)

    best = min(members, key=lambda i: (-round(closeness(i), 9), len(notes[i].text), notes[i].id))
    return notes[best].text


def auto_title(members: list[NoteIn]) -> str:
    """The representative wording of a group of notes."""
    return representative(members, list(range(len(members))), similarities(members))


def score(
    impact_mean: float | None, uncertainty_mean: float | None, rooms: int, rooms_total: int
) -> float:
    """0..100: 40% impact, 30% uncertainty (each scaled from 1..5), 30% share of rooms."""
    scaled_i = 0.0 if impact_mean is None else (impact_mean - 1) / 4
    scaled_u = 0.0 if uncertainty_mean is None else (uncertainty_mean - 1) / 4
    breadth = rooms / rooms_total if rooms_total else 0.0
    return round(100 * (0.4 * scaled_i + 0.3 * scaled_u + 0.3 * breadth), 1)


def pooled(scores: list[int]) -> dict[str, float | int | None]:
    """Mean, n and spread of pooled scores."""
    summary = score_summary(scores)
    return {"mean": summary["mean"], "n": summary["n"], "sd": summary["sd"]}


def pool_votes(
    members: list[NoteIn], votes: dict[str, list[VoteIn]], clusters: dict[str, list[str]]
) -> list[VoteIn]:
    """The votes of an item: on its notes, and on room clusters that are mostly in it."""
    ids = {n.id for n in members}
    pooled = [v for n in members for v in votes.get(n.id, [])]
    for cluster_id, note_ids in sorted(clusters.items()):
        inside = sum(1 for nid in note_ids if nid in ids)
        if note_ids and inside * 2 >= len(note_ids):  # the cluster is mostly this item
            pooled.extend(votes.get(cluster_id, []))
    return pooled


def build_items(
    notes: list[NoteIn],
    votes: list[VoteIn],
    *,
    clusters: dict[str, list[str]],
    seeds: Sequence[Seed] = (),
    previous: dict[str, frozenset[str]] | None = None,
    rooms_total: int,
    new_id: Callable[[], str],
    threshold: float = THRESHOLD,
) -> list[Item]:
    """Group every note into exactly one item, lane by lane, ranked by score."""
    by_target: dict[str, list[VoteIn]] = defaultdict(list)
    for vote in votes:
        by_target[vote.target].append(vote)
    seed_by_id = {seed.item_id: seed for seed in seeds}
    unused_previous = dict(previous or {})
    for seed_id in seed_by_id:
        unused_previous.pop(seed_id, None)
    items: list[Item] = []
    for lane in sorted({n.lane for n in notes}):
        lane_notes = [n for n in notes if n.lane == lane]
        sims = similarities(lane_notes)
        lane_seeds = [s for s in seeds if any(n.id in s.note_ids for n in lane_notes)]
        for group in group_notes(lane_notes, lane_seeds, threshold):
            members = [lane_notes[i] for i in group]
            ids = frozenset(n.id for n in members)
            seed = next((s for s in lane_seeds if s.note_ids & ids), None)
            if seed is not None:
                item_id = seed.item_id
            else:
                item_id = _reuse_id(ids, unused_previous) or new_id()
            title = (seed.title if seed and seed.title else None) or representative(
                lane_notes, group, sims
            )
            item_votes = pool_votes(members, by_target, clusters)
            impact = pooled([v.impact for v in item_votes])
            uncertainty = pooled([v.uncertainty for v in item_votes])
            rooms = sorted({n.room for n in members})
            items.append(
                Item(
                    id=item_id,
                    title=title,
                    lane=lane,
                    note_ids=[n.id for n in members],
                    rooms=rooms,
                    impact=impact,
                    uncertainty=uncertainty,
                    score=score(mean_of(impact), mean_of(uncertainty), len(rooms), rooms_total),
                    edited=seed is not None,
                    cluster_ids=sorted({n.cluster for n in members if n.cluster}),
                )
            )
    return rank(items)


def mean_of(summary: dict[str, float | int | None]) -> float | None:
    """The mean of a pooled summary, as a float."""
    mean = summary["mean"]
    return None if mean is None else float(mean)


def _reuse_id(ids: frozenset[str], previous: dict[str, frozenset[str]]) -> str | None:
    # Keep an item's id when most of it is still together, so clients and edits follow it.
    best, best_overlap = None, 0.0
    for item_id, old in sorted(previous.items()):
        overlap = len(ids & old) / len(ids | old)
        if overlap > best_overlap:
            best, best_overlap = item_id, overlap
    if best is not None and best_overlap >= 0.5:
        del previous[best]
        return best
    return None


def rank(items: list[Item]) -> list[Item]:
    """Highest score first; ties by how many notes, then title."""
    return sorted(items, key=lambda item: (-item.score, -len(item.note_ids), item.title, item.id))
