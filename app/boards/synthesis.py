"""Pure synthesis: the notes of every room in, items across rooms with provenance out.

Notes are grouped by what they say (app/boards/textsim.py: lemmas, compound
parts, word shapes, and the optional subject lexicon) by average linkage over a
sparse similarity graph (app/boards/grouping.py), lane by lane. The moderator's
items (seeds) stay whole and apart; rejected suggestions (cannot-links) keep
groups apart. A room's own clusters are weak evidence: they usually hold
different ideas the room saw as related, so they never glue notes together
(see docs/synthesis.md for what each choice measured). Deterministic.
"""

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from app.boards.grouping import Graph, average_linkage, similarity_graph
from app.boards.language import commonness, words
from app.boards.rules import score_summary
from app.boards.textsim import DEFAULT_WEIGHTS, NoteFeatures, Weights, featurise
from app.rooms.phases import STEP_LANE
from app.textrules import as_title


@dataclass(frozen=True)
class Method:
    """How notes are grouped (see DEFAULT_METHOD for the values in use)."""

    threshold: float = 0.22  # the mean similarity two groups need to merge
    weights: Weights = DEFAULT_WEIGHTS
    lexicon: bool = True  # the optional subject lexicon (app/boards/lexicon.py)
    cluster_penalty: float = 0.2  # taken off pairs inside one room cluster
    title_weight: float = 0.2  # added for notes whose room clusters have similar titles


# Chosen on the five labelled subjects (bench/synthesis_quality.py, docs/synthesis.md);
# the figures reported there are leave-one-subject-out. Room clusters usually hold
# different ideas, so a pair inside one weighs less, and similar cluster titles in
# other rooms are context.
DEFAULT_METHOD = Method(
    threshold=0.22,
    weights=Weights(part=0.8, gram=0.5, stop=6.5),
    lexicon=True,
    cluster_penalty=0.2,
    title_weight=0.2,
)
WITHOUT_LEXICON = Method(
    threshold=0.14,
    weights=Weights(part=0.8, gram=0.5, stop=6.0),
    lexicon=False,
    cluster_penalty=0.1,
    title_weight=0.0,
)
THRESHOLD = DEFAULT_METHOD.threshold


def method_for(lexicon: bool) -> Method:
    """The method in use, with or without the subject lexicon."""
    return DEFAULT_METHOD if lexicon else WITHOUT_LEXICON


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


@dataclass
class Prepared:
    """Notes ready for grouping: features, identical notes as one node, the graph."""

    notes: list[NoteIn]
    features: list[NoteFeatures]
    node_of: list[int]  # note index -> node
    nodes: list[list[int]]  # node -> note indices
    graph: Graph  # node -> {node: similarity}, the pairs worth comparing
    adjust: Graph | None = None  # room clusters' corrections to some pairs


def prepare(
    notes: Sequence[NoteIn],
    method: Method = DEFAULT_METHOD,
    *,
    language: str = "nl",
    cluster_titles: dict[str, str] | None = None,
) -> Prepared:
    """Featurise notes, fold identical ones into one node, and build the similarity graph."""
    notes = list(notes)
    features = featurise(
        [n.text for n in notes], language, lexicon=method.lexicon, weights=method.weights
    )
    uses_clusters = bool(method.cluster_penalty or method.title_weight)
    key_to_node: dict[object, int] = {}
    node_of: list[int] = []
    nodes: list[list[int]] = []
    for i, (note, feature) in enumerate(zip(notes, features, strict=True)):
        key: object = tuple(sorted(feature.vector.items()))
        if uses_clusters:
            key = (key, note.room, note.cluster)
        node = key_to_node.setdefault(key, len(nodes))
        if node == len(nodes):
            nodes.append([])
        nodes[node].append(i)
        node_of.append(node)
    graph = similarity_graph([features[members[0]].vector for members in nodes])
    adjust = None
    if uses_clusters:
        heads = [notes[m[0]] for m in nodes]
        adjust = _room_clusters(graph, heads, method, language, cluster_titles)
    return Prepared(notes, features, node_of, nodes, graph, adjust)


def _room_clusters(
    graph: Graph,
    heads: list[NoteIn],
    method: Method,
    language: str,
    titles: dict[str, str] | None,
) -> Graph:
    # Notes of one room cluster are usually different ideas: their links weigh less.
    # Across rooms, similar cluster titles are context: their notes' links weigh more.
    adjust: Graph = [{} for _ in graph]
    title_vectors: dict[str, dict[str, float]] = {}
    if method.title_weight and titles:
        ids = sorted(titles)
        found = featurise([titles[c] for c in ids], language, lexicon=method.lexicon)
        title_vectors = {c: f.vector for c, f in zip(ids, found, strict=True)}
    for i, links in enumerate(graph):
        a = heads[i]
        for j in list(links):
            b = heads[j]
            if a.cluster is None or b.cluster is None:
                continue
            if a.cluster == b.cluster:
                change = -method.cluster_penalty
            elif a.room != b.room and a.cluster in title_vectors and b.cluster in title_vectors:
                va, vb = title_vectors[a.cluster], title_vectors[b.cluster]
                change = method.title_weight * sum(v * vb.get(k, 0.0) for k, v in va.items())
            else:
                continue
            adjust[i][j] = change
            links[j] += change  # what closeness and suggestions read
    return adjust


def group_prepared(
    prepared: Prepared,
    seeds: Sequence[Seed] = (),
    method: Method = DEFAULT_METHOD,
    cannot: Sequence[tuple[str, str]] = (),
) -> list[list[int]]:
    """Average-linkage groups of note indices; seeds whole and apart; cannot-links apart."""
    index = {note.id: i for i, note in enumerate(prepared.notes)}
    node_seeds = [
        sorted({prepared.node_of[index[n]] for n in seed.note_ids if n in index}) for seed in seeds
    ]
    node_cannot = [
        (prepared.node_of[index[a]], prepared.node_of[index[b]])
        for a, b in cannot
        if a in index and b in index and prepared.node_of[index[a]] != prepared.node_of[index[b]]
    ]
    weights = [len(members) for members in prepared.nodes]
    vectors = [prepared.features[members[0]].vector for members in prepared.nodes]
    groups = average_linkage(
        vectors,
        weights,
        prepared.graph,
        method.threshold,
        seeds=node_seeds,
        cannot=node_cannot,
        adjust=prepared.adjust,
    )
    notes = [sorted(i for node in group for i in prepared.nodes[node]) for group in groups]
    return sorted(notes, key=lambda g: g[0])


def group_notes(
    notes: Sequence[NoteIn],
    seeds: Sequence[Seed] = (),
    threshold: float | None = None,
    *,
    method: Method = DEFAULT_METHOD,
    language: str = "nl",
    cannot: Sequence[tuple[str, str]] = (),
    cluster_titles: dict[str, str] | None = None,
) -> list[list[int]]:
    """Group note indices by what they say (one lane's notes)."""
    if threshold is not None:
        method = replace(method, threshold=threshold)
    prepared = prepare(notes, method, language=language, cluster_titles=cluster_titles)
    return group_prepared(prepared, seeds, method, cannot)


def closeness(prepared: Prepared, members: Sequence[int]) -> dict[int, float]:
    """How close each note of a group is to the others (summed similarity)."""
    weight = Counter(prepared.node_of[i] for i in members)
    by_node: dict[int, float] = {}
    for node, count in weight.items():
        links = prepared.graph[node]
        if len(links) < len(weight):  # walk the shorter side
            close = sum(value * weight[o] for o, value in links.items() if o in weight)
        else:
            close = sum(links.get(o, 0.0) * c for o, c in weight.items() if o != node)
        by_node[node] = close + count - 1  # identical notes are as close as can be
    return {i: by_node[prepared.node_of[i]] for i in members}


def representative(prepared: Prepared, members: Sequence[int], language: str) -> int:
    """The wording closest to all others, in the workshop's language where one exists.

    Ties: the spelling most people used ("AI" over one "Ai"), the shorter text, then the
    first note.
    """
    in_language = [i for i in members if prepared.features[i].language == language]
    candidates = in_language or list(members)
    close = closeness(prepared, members)
    notes = prepared.notes
    spelled = Counter(notes[i].text for i in members)
    return min(
        candidates,
        key=lambda i: (
            -round(close[i], 9),
            -spelled[notes[i].text],
            len(notes[i].text),
            notes[i].id,
        ),
    )


def auto_title(members: Sequence[NoteIn], language: str = "nl") -> str:
    """The representative wording of a group of notes."""
    prepared = prepare(members, language=language)
    return as_title(prepared.notes[representative(prepared, range(len(members)), language)].text)


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


def _title_words(text: str) -> set[str]:
    # The words that can name an idea: not "de", "en", "the"; five letters are enough
    # for "automatisering" to meet "automatiseren".
    return {w[:5] for w in words(text) if commonness(w) < 6.0}


def cluster_anchor(title: str, notes: Sequence[tuple[str, str]]) -> str | None:
    """The note that names a room cluster best: most words shared with its title, then the
    first written (`notes` in the order they were written; ids are random)."""
    named = _title_words(title)
    best: tuple[int, int, str] | None = None
    for position, (note_id, text) in enumerate(notes):
        key = (-len(named & _title_words(text)), position, note_id)
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


def cluster_anchors(
    clusters: dict[str, list[str]], texts: dict[str, str], titles: dict[str, str]
) -> dict[str, str]:
    """Every room cluster's anchor note (see `cluster_anchor`)."""
    found = {}
    for cluster_id, note_ids in clusters.items():
        anchor = cluster_anchor(
            titles.get(cluster_id, ""), [(n, texts[n]) for n in note_ids if n in texts]
        )
        if anchor is not None:
            found[cluster_id] = anchor
    return found


def pool_votes(
    members: list[NoteIn],
    votes: dict[str, list[VoteIn]],
    clusters: dict[str, list[str]],
    anchors: dict[str, str] | None = None,
) -> list[VoteIn]:
    """The votes of an item: on its notes, and on room clusters that are mostly in it.

    Mostly is more than half, or exactly half with the cluster's anchor (the note its
    title names best): so a cluster's votes count for one item at most. At half
    alone, a cluster of two notes split over two items lent its votes to both, and an
    idea nobody rated ranked high on another idea's scores.
    """
    ids = {n.id for n in members}
    found = [v for n in members for v in votes.get(n.id, [])]
    for cluster_id, note_ids in sorted(clusters.items()):
        inside = sum(1 for nid in note_ids if nid in ids)
        if not note_ids:
            continue
        half = inside * 2 == len(note_ids)
        if inside * 2 > len(note_ids) or (half and (anchors or {}).get(cluster_id) in ids):
            found.extend(votes.get(cluster_id, []))
    return found


@dataclass
class Grouped:
    """One lane's notes, prepared and grouped (kept for suggestions)."""

    lane: str
    prepared: Prepared
    groups: list[list[int]]
    item_ids: list[str]
    apart: Sequence[tuple[str, str]] = ()  # pairs the lane itself keeps apart (same_path)


def same_path(steps: Sequence[NoteIn]) -> list[tuple[str, str]]:
    """Pairs of steps from one room's path: never one step of the merged route.

    A room lists different steps on its path (ninth trial: "Cursus notuleren met AI" and
    "Evaluatie van AI-notulen met het MT", one room's two steps, became one item).
    """
    by_room: dict[str, list[str]] = defaultdict(list)
    for step in steps:
        by_room[step.room].append(step.id)
    return [pair for ids in by_room.values() for pair in itertools.combinations(ids, 2)]


def build_items(
    notes: list[NoteIn],
    votes: list[VoteIn],
    *,
    clusters: dict[str, list[str]],
    seeds: Sequence[Seed] = (),
    previous: dict[str, frozenset[str]] | None = None,
    rooms_total: int,
    new_id: Callable[[], str],
    threshold: float | None = None,
    method: Method = DEFAULT_METHOD,
    language: str = "nl",
    cannot: Sequence[tuple[str, str]] = (),
    cluster_titles: dict[str, str] | None = None,
    anchors: dict[str, str] | None = None,
    grouped_out: list[Grouped] | None = None,
) -> list[Item]:
    """Group every note into exactly one item, lane by lane, ranked by score."""
    if threshold is not None:
        method = replace(method, threshold=threshold)
    by_target: dict[str, list[VoteIn]] = defaultdict(list)
    for vote in votes:
        by_target[vote.target].append(vote)
    if anchors is None:  # the server gathers them with its inputs; tests and benches not
        anchors = cluster_anchors(clusters, {n.id: n.text for n in notes}, cluster_titles or {})
    seed_by_id = {seed.item_id: seed for seed in seeds}
    reuse = _Reuse(previous or {})
    for seed_id in seed_by_id:
        reuse.drop(seed_id)
    items: list[Item] = []
    for lane in sorted({n.lane for n in notes}):
        lane_notes = [n for n in notes if n.lane == lane]
        prepared = prepare(lane_notes, method, language=language, cluster_titles=cluster_titles)
        lane_seeds = [s for s in seeds if any(n.id in s.note_ids for n in lane_notes)]
        own_apart = same_path(lane_notes) if lane == STEP_LANE else []
        groups = group_prepared(prepared, lane_seeds, method, [*cannot, *own_apart])
        item_ids = []
        for group in groups:
            members = [lane_notes[i] for i in group]
            ids = frozenset(n.id for n in members)
            seed = next((s for s in lane_seeds if s.note_ids & ids), None)
            item_id = seed.item_id if seed is not None else (reuse.take(ids) or new_id())
            item_ids.append(item_id)
            title = (seed.title if seed and seed.title else None) or as_title(
                lane_notes[representative(prepared, group, language)].text
            )
            item_votes = pool_votes(members, by_target, clusters, anchors)
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
        if grouped_out is not None:
            grouped_out.append(Grouped(lane, prepared, groups, item_ids, own_apart))
    return rank(items)


def mean_of(summary: dict[str, float | int | None]) -> float | None:
    """The mean of a pooled summary, as a float."""
    mean = summary["mean"]
    return None if mean is None else float(mean)


class _Reuse:
    """Earlier items' ids, handed to the new group that holds most of one (once each)."""

    def __init__(self, previous: dict[str, frozenset[str]]) -> None:
        self.previous = dict(previous)
        self.item_of = {note: item for item, notes in previous.items() for note in notes}

    def drop(self, item_id: str) -> None:
        """Never hand out this id (a seed keeps it)."""
        self.previous.pop(item_id, None)

    def take(self, ids: frozenset[str]) -> str | None:
        """The id of the unused earlier item this group overlaps most, if at least half."""
        shared = Counter(self.item_of[n] for n in ids if self.item_of.get(n) in self.previous)
        best, best_overlap = None, 0.0
        for item_id, count in sorted(shared.items()):
            overlap = count / (len(ids) + len(self.previous[item_id]) - count)
            if overlap > best_overlap:
                best, best_overlap = item_id, overlap
        if best is not None and best_overlap >= 0.5:
            del self.previous[best]
            return best
        return None


def rank(items: list[Item]) -> list[Item]:
    """Highest score first; ties by how many notes, then id.

    Not by title: renaming an item live must not move it while a room reads the wall
    (eleventh trial: a rename took #2 to #1).
    """
    return sorted(items, key=lambda item: (-item.score, -len(item.note_ids), item.id))
