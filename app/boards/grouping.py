"""Pure: notes into groups by average linkage, with candidate pairs from an index.

Average linkage merges the two groups whose mean similarity is highest, while it
is at least the threshold. The index is a sparse matrix product of the notes'
feature vectors. Up to EXACT_UP_TO nodes it holds every pair that shares a
feature, which is every pair with a similarity above 0: each group pair's total
is kept exactly (totals add up when groups merge) and the result is textbook
average linkage. Beyond, each node keeps its NEIGHBOURS closest, found without
the features that more than COMMON_SHARE of the notes have and then measured in
full; a pair of groups is queued at the mean of its known note pairs, and
dotted exactly (each group keeps its summed vector) when its turn comes, so no
merge happens below the threshold. Time and memory grow about linearly with
the notes (bench/synthesis_speed.py). Identical notes are one node with a
weight.

Seeds (the moderator's items) start whole and never merge with each other;
cannot-links (rejected suggestions) keep two groups apart. Deterministic.
"""

import heapq
from collections.abc import Sequence

import numpy as np
from scipy import sparse

EXACT_UP_TO = 1500
NEIGHBOURS = 60
COMMON_SHARE = 0.2  # at scale, a feature in more notes than this is left out of the graph
_NONE = float("-inf")  # no entry queued
BLOCK = 400  # rows multiplied at once, at scale
FLOOR = 0.01  # at scale, weaker links are not kept

Graph = list[dict[int, float]]  # node -> {neighbour: similarity}


def similarity_graph(vectors: Sequence[dict[str, float]]) -> Graph:
    """Cosine similarities of the pairs that share a feature (the strongest, at scale)."""
    n = len(vectors)
    graph: Graph = [{} for _ in range(n)]
    if n < 2:
        return graph
    columns: dict[str, int] = {}
    rows, cols, values = [], [], []
    for i, vector in enumerate(vectors):
        for feature, value in vector.items():
            rows.append(i)
            cols.append(columns.setdefault(feature, len(columns)))
            values.append(value)
    matrix = sparse.csr_matrix(
        (np.asarray(values, dtype=np.float64), (rows, cols)), shape=(n, len(columns))
    )
    if n <= EXACT_UP_TO:
        product = (matrix @ matrix.T).tocsr()
        product.setdiag(0)
        product.eliminate_zeros()
        for i in range(n):
            start, end = product.indptr[i], product.indptr[i + 1]
            pairs = zip(
                product.indices[start:end].tolist(), product.data[start:end].tolist(), strict=True
            )
            graph[i] = dict(pairs)
        return graph
    # At scale: find neighbours without the common features, then add those back in.
    counts = np.diff(matrix.tocsc().indptr)
    limit = max(50, int(COMMON_SHARE * n))
    rare = matrix[:, np.flatnonzero(counts <= limit)]
    common = matrix[:, np.flatnonzero(counts > limit)].toarray()  # few columns
    rare_t = rare.T.tocsc()
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    partial: list[np.ndarray] = []
    for block in range(0, n, BLOCK):  # a block of rows at a time, to bound the memory
        product = (rare[block : block + BLOCK] @ rare_t).tocsr()
        indptr, indices, data = product.indptr, product.indices, product.data
        for row in range(product.shape[0]):
            i = block + row
            start, end = indptr[row], indptr[row + 1]
            neighbours, sims = indices[start:end], data[start:end]
            strong = (sims >= FLOOR) & (neighbours != i)
            neighbours, sims = neighbours[strong], sims[strong]
            if len(neighbours) > NEIGHBOURS:  # the strongest (a deterministic selection)
                top = np.argpartition(-sims, NEIGHBOURS - 1)[:NEIGHBOURS]
                neighbours, sims = neighbours[top], sims[top]
            firsts.append(np.full(len(neighbours), i))
            seconds.append(neighbours)
            partial.append(sims)
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    full = np.concatenate(partial)
    for at in range(0, len(first), 50_000):  # in slices, to bound the memory
        part = slice(at, at + 50_000)
        full[part] += np.einsum("ij,ij->i", common[first[part]], common[second[part]])
    for i, j, sim in zip(first.tolist(), second.tolist(), full.tolist(), strict=True):
        graph[i][j] = sim
        graph[j][i] = sim  # a link kept by either end is kept by both
    return graph


def average_linkage(
    vectors: Sequence[dict[str, float]],
    weights: Sequence[int],
    candidates: Graph,
    threshold: float,
    *,
    seeds: Sequence[Sequence[int]] = (),
    cannot: Sequence[tuple[int, int]] = (),
    adjust: Graph | None = None,
    complete: bool | None = None,
) -> list[list[int]]:
    """Groups of node indices, merged while their mean similarity reaches `threshold`.

    `candidates` holds the similarity of the pairs worth comparing (with `adjust`,
    the room clusters' corrections, already in it); `weights` counts how many
    identical notes a node stands for; `seeds` start whole and never merge with
    another seed; `cannot` pairs never end together. `complete` says the graph
    holds every pair that shares a feature (default: up to EXACT_UP_TO nodes):
    then a missing pair is exactly 0 and every mean is exact. Otherwise a pair of
    groups is judged by the mean of its known note pairs, and dotted exactly
    (summed vectors) before it may merge.
    """
    n = len(vectors)
    if complete is None:
        complete = n <= EXACT_UP_TO
    state = _Groups(vectors, weights, adjust)
    for seed in seeds:
        nodes = sorted(set(seed))
        for node in nodes[1:]:
            state.join(state.owner[nodes[0]], state.owner[node])
        if nodes:
            state.seeded.add(state.owner[nodes[0]])
    for a, b in cannot:
        state.blocked.setdefault(state.owner[a], set()).add(b)
        state.blocked.setdefault(state.owner[b], set()).add(a)
    links = state.links
    for i, row in enumerate(candidates):
        gi = state.owner[i]
        for j, similarity in row.items():
            gj = state.owner[j]
            if j <= i or gi == gj:
                continue
            pair_weight = float(weights[i] * weights[j])
            record = links[gi].get(gj)
            if record is None:  # [total, weight covered, mean queued]
                record = links[gi][gj] = links[gj][gi] = [0.0, 0.0, _NONE]
            record[0] += pair_weight * similarity
            record[1] += pair_weight
    size = state.size
    heap: list[tuple[float, int, int]] = []

    def queue(record: list[float], a: int, b: int) -> None:
        # One live entry per pair: queued again only when its mean rose (a fall is
        # noticed when the higher entry comes up), so the heap stays small.
        now = record[0] / (size[a] * size[b] if complete else record[1])
        if now >= threshold and now > record[2]:
            record[2] = now
            heapq.heappush(heap, (-now, a, b) if a < b else (-now, b, a))

    for g, near in links.items():
        for h, record in near.items():
            if g < h:
                queue(record, g, h)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if -negative < threshold:
            break  # nothing queued reaches the threshold any more
        record = links.get(a, {}).get(b)
        if record is None or record[2] != -negative:
            continue  # a or b is gone, or this entry was replaced
        record[2] = _NONE
        now = record[0] / (size[a] * size[b] if complete else record[1])
        if now < -negative:
            queue(record, a, b)  # it fell since it was queued
            continue
        if not complete and record[1] != size[a] * size[b]:
            # Its turn came on the mean of its known pairs: dot the sums, queue it again.
            record[0] = state.exact_total(a, b)
            record[1] = size[a] * size[b]
            queue(record, a, b)
            continue
        if (a in state.seeded and b in state.seeded) or state.kept_apart(a, b):
            continue
        # The group with more links takes in the other's, so a link moves O(log n) times.
        keep, gone = (a, b) if len(links[a]) >= len(links[b]) else (b, a)
        state.join(keep, gone)
        near_keep = links[keep]
        del near_keep[gone]
        for other, moved in links.pop(gone).items():
            if other == keep:
                continue
            del links[other][gone]
            record = near_keep.get(other)
            if record is None:
                record = near_keep[other] = links[other][keep] = moved
                record[2] = _NONE  # its entry was for `gone`
            else:  # known from both sides: totals add up
                record[0] += moved[0]
                record[1] += moved[1]
            queue(record, keep, other)
        # Links only `keep` had keep their entry: in a complete graph their mean can
        # only have fallen (queued again when it comes up); otherwise it stands.
    return sorted(sorted(group) for group in state.members.values())


class _Groups:
    """The groups being merged: members, sizes, summed vectors, links, constraints."""

    def __init__(
        self, vectors: Sequence[dict[str, float]], weights: Sequence[int], adjust: Graph | None
    ) -> None:
        n = len(vectors)
        self.owner = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.size: dict[int, float] = {i: float(weights[i]) for i in range(n)}
        self.sums: dict[int, dict[str, float]] = {
            i: {k: v * weights[i] for k, v in vectors[i].items()} for i in range(n)
        }
        self.links: dict[int, dict[int, list[float]]] = {i: {} for i in range(n)}  # [total, weight]
        self.seeded: set[int] = set()
        self.blocked: dict[int, set[int]] = {}  # group -> nodes it must not join
        self.fix: dict[int, dict[int, float]] = {i: {} for i in range(n)}  # summed adjustments
        for i, row in enumerate(adjust or ()):
            for j, value in row.items():
                if value:
                    self.fix[i][j] = weights[i] * weights[j] * value

    def join(self, keep: int, gone: int) -> None:
        """Move `gone` into `keep` (the larger structures absorb the smaller)."""
        if keep == gone:
            return
        for node in self.members[gone]:
            self.owner[node] = keep
        moved = self.members.pop(gone)
        if len(moved) > len(self.members[keep]):
            moved, self.members[keep] = self.members[keep], moved
        self.members[keep].extend(moved)
        self.size[keep] += self.size.pop(gone)
        added = self.sums.pop(gone)
        if len(added) > len(self.sums[keep]):
            added, self.sums[keep] = self.sums[keep], added
        total = self.sums[keep]
        for key, value in added.items():
            total[key] = total.get(key, 0.0) + value
        for other, value in self.fix.pop(gone).items():
            del self.fix[other][gone]
            if other != keep:
                summed = self.fix[keep].get(other, 0.0) + value
                self.fix[keep][other] = self.fix[other][keep] = summed
        if gone in self.seeded:
            self.seeded.discard(gone)
            self.seeded.add(keep)
        if gone in self.blocked:
            self.blocked.setdefault(keep, set()).update(self.blocked.pop(gone))

    def exact_total(self, a: int, b: int) -> float:
        """The summed similarity of every note pair across two groups."""
        first, second = self.sums[a], self.sums[b]
        if len(first) > len(second):
            first, second = second, first
        dot = sum(value * second[key] for key, value in first.items() if key in second)
        return dot + self.fix[a].get(b, 0.0)

    def kept_apart(self, a: int, b: int) -> bool:
        """Whether a cannot-link joins the two groups."""
        owner = self.owner
        return any(owner[node] == b for node in self.blocked.get(a, ())) or any(
            owner[node] == a for node in self.blocked.get(b, ())
        )
