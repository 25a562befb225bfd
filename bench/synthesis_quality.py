"""Grouping quality on labelled workshops, leave-one-subject-out: docs/synthesis.md's tables.

    .venv/bin/python -m bench.synthesis_quality            # everything (about a minute)

The five sets in tests/data/synthesis/ were written and labelled without sight
of the method's word lists. Every choice (the threshold, feature weights, how
room clusters count) is made on four subjects and scored on the fifth; the
figure tuned on all five is printed beside it, to show how much tuning on the
test would flatter. Metrics: BCubed precision, recall and F1, and the number of
moderator actions (merge, split, move) that turn the automatic grouping into the
labelled one, before and after one round of suggestions.
"""

import itertools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import mean

from app.boards.language import commonness, fold, language_of, lemma, words
from app.boards.suggestions import suggest
from app.boards.synthesis import Grouped, Method, NoteIn, Prepared, group_prepared, prepare
from app.boards.textsim import Weights

ROOT = Path(__file__).resolve().parents[1]
SETS = sorted((ROOT / "tests" / "data" / "synthesis").glob("*.json"))
THRESHOLDS = [0.10, 0.14, 0.18, 0.22, 0.26, 0.30]
TEXT_GRID = [
    Weights(gram=gram, part=part, stop=stop)
    for gram, part, stop in itertools.product([0.2, 0.3, 0.5], [0.5, 0.8], [6.0, 6.5])
]
CLUSTER_GRID = list(itertools.product([0.0, 0.05, 0.1, 0.2], [0.0, 0.1, 0.2]))


@dataclass
class Workshop:
    """One labelled workshop."""

    subject: str
    language: str
    notes: list[NoteIn]
    labels: list[str]
    titles: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> "Workshop":
        """Read a set of tests/data/synthesis/."""
        data = json.loads(path.read_text(encoding="utf-8"))
        notes = [
            NoteIn(n["id"], n["room"], n["lane"], n["text"], n.get("cluster"))
            for n in data["notes"]
        ]
        titles = {c["id"]: c["title"] for c in data["clusters"]}
        return cls(
            data["subject"], data["language"], notes, [n["label"] for n in data["notes"]], titles
        )

    def without_clusters(self) -> list[NoteIn]:
        """The notes as if no room had clustered."""
        return [replace(n, cluster=None) for n in self.notes]


def bcubed(groups: list[list[int]], labels: list[str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a grouping of indices."""
    cluster_of = {i: g for g, members in enumerate(groups) for i in members}
    members_of = {g: set(members) for g, members in enumerate(groups)}
    by_label: dict[str, set[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, set()).add(i)
    precision = recall = 0.0
    for i, label in enumerate(labels):
        same_cluster, same_label = members_of[cluster_of[i]], by_label[label]
        both = len(same_cluster & same_label)
        precision += both / len(same_cluster)
        recall += both / len(same_label)
    p, r = precision / len(labels), recall / len(labels)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def actions(groups: list[list[int]], labels: list[str]) -> int:
    """Moderator actions from a grouping to the labelled one.

    Split off (or move) every label that is not an item's majority, one action
    per label and item; then merge each label's pieces, one action per extra
    piece. With P pieces (an item's notes of one label), G items and L labels:
    (P - G) + (P - L).
    """
    pieces = sum(len({labels[i] for i in group}) for group in groups)
    return 2 * pieces - len(groups) - len(set(labels))


def with_suggestions(
    prepared: Prepared, groups: list[list[int]], labels: list[str], threshold: float
) -> tuple[int, int, int]:
    """One round of suggestions, each settled rightly with one tap.

    Returns how many were offered, how many were right (accepted), and the
    manual actions left afterwards (the taps not counted).
    """
    right = 0
    ids = [f"g{k}" for k in range(len(groups))]
    offered = suggest(Grouped("trend", prepared, groups, ids), threshold)
    members = {ids[k]: list(g) for k, g in enumerate(groups)}
    index = {n.id: i for i, n in enumerate(prepared.notes)}

    def majority(item: str) -> str:
        return Counter(labels[i] for i in members[item]).most_common(1)[0][0]

    for s in offered:
        if any(item not in members for item in s.items):
            continue  # merged away by an earlier accepted suggestion
        if s.kind == "merge":
            a, b = s.items
            if majority(a) == majority(b):
                members[a] += members.pop(b)
                right += 1
        else:
            note = index[str(s.note_id)]
            source, target = s.items
            if note in members[source] and labels[note] == majority(target) != majority(source):
                members[source].remove(note)
                members[target].append(note)
                right += 1
                if not members[source]:
                    del members[source]
    return len(offered), right, actions([g for g in members.values() if g], labels)


def sweep(
    workshop: Workshop, method: Method, clusters: bool
) -> dict[float, tuple[tuple[float, float, float], list[list[int]], Prepared]]:
    """Every threshold's result for one set of weights (the features are made once)."""
    notes = workshop.notes if clusters else workshop.without_clusters()
    prepared = prepare(notes, method, language=workshop.language, cluster_titles=workshop.titles)
    out = {}
    for threshold in THRESHOLDS:
        chosen = replace(method, threshold=threshold)
        groups = group_prepared(prepared, (), chosen)
        out[threshold] = (bcubed(groups, workshop.labels), groups, prepared)
    return out


def candidates(lexicon: bool, clusters: bool) -> list[Method]:
    """The methods the choice is made among."""
    methods = [Method(weights=w, lexicon=lexicon) for w in TEXT_GRID]
    if not clusters:
        return methods
    return [
        replace(m, cluster_penalty=penalty, title_weight=title)
        for m in methods
        for penalty, title in CLUSTER_GRID
    ]


@dataclass
class Scored:
    """A set's figures under one method."""

    f1: tuple[float, float, float]
    actions: int
    offered: int
    right: int
    left: int


def loso(workshops: list[Workshop], lexicon: bool, clusters: bool) -> dict[str, object]:
    """Leave-one-subject-out: choose on four sets, score the fifth; and the flattering figure."""
    table: dict[tuple[int, float], dict[str, tuple]] = {}
    methods = candidates(lexicon, clusters)
    for m, method in enumerate(methods):
        for workshop in workshops:
            for threshold, result in sweep(workshop, method, clusters).items():
                table.setdefault((m, threshold), {})[workshop.subject] = result
    keys = list(table)
    per_set: dict[str, Scored] = {}
    chosen: dict[str, tuple[Method, float]] = {}
    for workshop in workshops:
        others = [w.subject for w in workshops if w.subject != workshop.subject]
        best = max(keys, key=lambda k: (mean(table[k][s][0][2] for s in others), -k[0], k[1]))
        (f1, groups, prepared) = table[best][workshop.subject]
        offered, right, left = with_suggestions(prepared, groups, workshop.labels, best[1])
        per_set[workshop.subject] = Scored(
            f1, actions(groups, workshop.labels), offered, right, left
        )
        chosen[workshop.subject] = (methods[best[0]], best[1])
    everything = max(keys, key=lambda k: mean(r[0][2] for r in table[k].values()))
    flattering = {s: r[0][2] for s, r in table[everything].items()}
    return {
        "per_set": per_set,
        "chosen": chosen,
        "flattering": flattering,
        "all": everything,
        "methods": methods,
    }


def shared_word(workshop: Workshop) -> list[list[int]]:
    """Baseline: join notes that share a content word (lemma), transitively."""
    parent = list(range(len(workshop.notes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for i, note in enumerate(workshop.notes):
        tokens = words(note.text)
        lang = language_of(tokens, workshop.language)
        for token in tokens:
            if commonness(token) >= 5.5:
                continue
            key = fold(lemma(token, lang))
            if key in seen:
                parent[find(i)] = find(seen[key])
            else:
                seen[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(parent)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def char_tfidf(texts: list[str]) -> list[dict[str, float]]:
    """Baseline features: character 2..5-gram TF-IDF, word-bounded, L2-normalised."""
    grams = []
    for text in texts:
        counts: Counter[str] = Counter()
        for word in re.findall(r"\w+", text.lower()):
            padded = f" {word} "
            for n in range(2, 6):
                for i in range(len(padded) - n + 1):
                    counts[padded[i : i + n]] += 1
        grams.append(counts)
    df: Counter[str] = Counter()
    for counts in grams:
        df.update(counts.keys())
    out = []
    for counts in grams:
        vec = {
            g: (1 + math.log(c)) * (math.log((1 + len(texts)) / (1 + df[g])) + 1)
            for g, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({g: v / norm for g, v in vec.items()})
    return out


def tfidf_baseline(workshop: Workshop) -> float:
    """Baseline: char n-gram TF-IDF with average linkage, its threshold tuned on the test itself."""
    from app.boards.grouping import average_linkage, similarity_graph

    vectors = char_tfidf([n.text for n in workshop.notes])
    graph = similarity_graph(vectors)
    return max(
        bcubed(average_linkage(vectors, [1] * len(graph), graph, t / 100), workshop.labels)[2]
        for t in range(5, 60, 5)
    )


def main() -> None:
    """Print the tables."""
    workshops = [Workshop.load(path) for path in SETS]
    print(
        "| set | notes | labelled items | note alone F1 | shared word F1 "
        "| char TF-IDF F1 (threshold tuned on the test) |"
    )
    print("|---|---|---|---|---|---|")
    for w in workshops:
        alone = bcubed([[i] for i in range(len(w.notes))], w.labels)[2]
        print(
            f"| {w.subject} | {len(w.notes)} | {len(set(w.labels))} | {alone:.3f} | "
            f"{bcubed(shared_word(w), w.labels)[2]:.3f} | {tfidf_baseline(w):.3f} |"
        )
    for lexicon, clusters in ((True, False), (True, True), (False, False), (False, True)):
        result = loso(workshops, lexicon, clusters)
        used = "used" if clusters else "ignored"
        title = f"lexicon {'on' if lexicon else 'off'}, room clusters {used}"
        print(f"\n{title}, leave-one-subject-out:\n")
        print(
            "| set | precision | recall | F1 | F1 tuned on all five | moderator actions "
            "| suggestions (right) | manual actions after | chosen |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for w in workshops:
            s = result["per_set"][w.subject]  # type: ignore[index]
            method, threshold = result["chosen"][w.subject]  # type: ignore[index]
            choice = (
                f"t {threshold:.2f}, gram {method.weights.gram}, part {method.weights.part}, "
                f"stop {method.weights.stop}"
                + (
                    f", cluster −{method.cluster_penalty}, title +{method.title_weight}"
                    if clusters
                    else ""
                )
            )
            p, r, f1 = s.f1
            print(
                f"| {w.subject} | {p:.3f} | {r:.3f} | **{f1:.3f}** | "
                f"{result['flattering'][w.subject]:.3f} | {s.actions} | "  # type: ignore[index]
                f"{s.offered} ({s.right}) | {s.left} | {choice} |"
            )
        scores = [result["per_set"][w.subject].f1[2] for w in workshops]  # type: ignore[index]
        print(f"\nmean F1 {mean(scores):.3f}, lowest {min(scores):.3f}")


if __name__ == "__main__":
    main()
