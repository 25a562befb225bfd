"""Average linkage over a similarity graph: exact when complete, the same groups when pruned."""

import itertools
import json
import math
import random
from pathlib import Path

import pytest

from app.boards import grouping
from app.boards.grouping import average_linkage, similarity_graph
from app.boards.synthesis import NoteIn, group_notes

DATA = Path(__file__).resolve().parents[1] / "data"
FILLERS = ["echt", "steeds", "vooral", "bij ons", "in 2030", "denk ik", "ook", "straks", "!"]


def unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()}


def random_vectors(count: int, seed: int) -> list[dict[str, float]]:
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(12)]
    return [
        unit({word: rng.uniform(0.2, 1.0) for word in rng.sample(vocabulary, rng.randint(1, 4))})
        for _ in range(count)
    ]


def textbook_average_linkage(
    vectors: list[dict[str, float]], weights: list[int], threshold: float
) -> list[list[int]]:
    """Every pair of every note, means recomputed from scratch at every step."""

    def similarity(i: int, j: int) -> float:
        return sum(v * vectors[j].get(k, 0.0) for k, v in vectors[i].items())

    groups = [[i] for i in range(len(vectors))]
    while True:
        best, pair = -1.0, (0, 0)
        for a, b in itertools.combinations(range(len(groups)), 2):
            total = sum(
                weights[i] * weights[j] * similarity(i, j) for i in groups[a] for j in groups[b]
            )
            size = sum(weights[i] for i in groups[a]) * sum(weights[j] for j in groups[b])
            if total / size > best + 1e-12:
                best, pair = total / size, (a, b)
        if best < threshold:
            return sorted(sorted(group) for group in groups)
        a, b = pair
        groups[a] += groups.pop(b)


@pytest.mark.parametrize("seed", range(6))
def test_complete_graph_gives_the_textbook_grouping(seed: int) -> None:
    vectors = random_vectors(24, seed)
    weights = [1 + (i % 3 == 0) for i in range(len(vectors))]
    graph = similarity_graph(vectors)
    for threshold in (0.3, 0.5, 0.7):
        found = average_linkage(vectors, weights, graph, threshold)
        assert found == textbook_average_linkage(vectors, weights, threshold)


@pytest.mark.parametrize("seed", range(6))
def test_a_pruned_graph_is_checked_exactly_before_a_merge(seed: int) -> None:
    # Only a chain of neighbours is known; every merge is still judged on exact means.
    vectors = random_vectors(24, seed)
    weights = [1] * len(vectors)
    full = similarity_graph(vectors)
    chain: grouping.Graph = [{} for _ in vectors]
    for i in range(len(vectors) - 1):
        chain[i][i + 1] = chain[i + 1][i] = full[i].get(i + 1, 0.0)
    for threshold in (0.3, 0.5):
        found = average_linkage(vectors, weights, chain, threshold, complete=False)
        for group in found:  # every group's mean similarity reaches the threshold
            if len(group) > 1:
                pairs = list(itertools.combinations(group, 2))
                mean = sum(full[i].get(j, 0.0) for i, j in pairs) / len(pairs)
                assert mean >= threshold - 1e-9


def conference(size: int, seed: int = 3) -> list[NoteIn]:
    """Notes drawn from the labelled workshop, with fillers and phone typos."""
    rng = random.Random(seed)
    base = json.loads((DATA / "synthesis_labelled.json").read_text(encoding="utf-8"))["notes"]
    notes = []
    for i in range(size):
        words = rng.choice(base)["text"].split()
        if rng.random() < 0.5:
            at = rng.randrange(len(words))
            if len(words[at]) >= 4:
                cut = rng.randrange(1, len(words[at]) - 1)
                words[at] = words[at][:cut] + words[at][cut + 1 :]
        notes.append(
            NoteIn(f"n{i}", f"r{i % 200}", "trend", f"{' '.join(words)} {rng.choice(FILLERS)}")
        )
    return notes


def test_the_pruned_graph_groups_a_conference_as_every_pair_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notes = conference(2000)
    assert len(notes) > grouping.EXACT_UP_TO  # the graph is pruned
    pruned = group_notes(notes)
    monkeypatch.setattr(grouping, "EXACT_UP_TO", 10**9)
    every_pair = group_notes(notes)
    assert pruned == every_pair
    assert 50 < len(pruned) < 1000  # it did group


@pytest.mark.parametrize("path", sorted((DATA / "synthesis").glob("*.json")), ids=lambda p: p.stem)
def test_the_pruned_graph_groups_each_labelled_subject_as_every_pair_does(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    notes = [NoteIn(f"n{i}", n["room"], "trend", n["text"]) for i, n in enumerate(data["notes"])]
    language = data.get("language", "nl")
    every_pair = group_notes(notes, language=language)
    monkeypatch.setattr(grouping, "EXACT_UP_TO", 0)
    monkeypatch.setattr(grouping, "NEIGHBOURS", 10)
    assert group_notes(notes, language=language) == every_pair


def test_seeds_and_cannot_links_hold_on_a_pruned_graph() -> None:
    vectors = [unit({"a": 1.0}), unit({"a": 1.0, "b": 0.1}), unit({"a": 1.0, "c": 0.1})]
    vectors += [unit({"a": 1.0, "d": 0.1})]
    graph = similarity_graph(vectors)
    kept = average_linkage(
        vectors, [1] * 4, graph, 0.5, seeds=[[0], [1]], cannot=[(2, 3)], complete=False
    )
    assert all(not ({0, 1} <= set(g)) and not ({2, 3} <= set(g)) for g in kept)
    assert sum(len(g) for g in kept) == 4
