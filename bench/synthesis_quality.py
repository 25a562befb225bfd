"""Grouping quality: BCubed precision, recall and F1 against a hand-labelled workshop.

    .venv/bin/python -m bench.synthesis_quality [tests/data/synthesis_labelled.json]

Compares the synthesis with two baselines on the same notes: every note alone, and
plain character n-gram TF-IDF with average-linkage clustering (its threshold
swept, the best one reported, which flatters the baseline).
"""

import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from app.boards.synthesis import THRESHOLD, NoteIn, group_notes

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "synthesis_labelled.json"


def bcubed(groups: list[list[int]], labels: list[str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a grouping of indices."""
    cluster_of = {i: g for g, members in enumerate(groups) for i in members}
    members_of = {g: set(members) for g, members in enumerate(groups)}
    by_label: dict[str, set[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, set()).add(i)
    precision = recall = 0.0
    for i, label in enumerate(labels):
        same_cluster = members_of[cluster_of[i]]
        same_label = by_label[label]
        both = len(same_cluster & same_label)
        precision += both / len(same_cluster)
        recall += both / len(same_label)
    n = len(labels)
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def char_tfidf(texts: list[str], low: int = 2, high: int = 5) -> list[dict[str, float]]:
    """Plain character n-gram TF-IDF (word-bounded, sublinear tf, l2-normalised)."""
    grams = []
    for text in texts:
        counts: Counter[str] = Counter()
        for word in text.lower().split():
            padded = f" {word} "
            for n in range(low, high + 1):
                for i in range(len(padded) - n + 1):
                    counts[padded[i : i + n]] += 1
        grams.append(counts)
    df: Counter[str] = Counter()
    for counts in grams:
        df.update(counts.keys())
    vectors = []
    for counts in grams:
        vec = {
            g: (1 + math.log(c)) * (math.log((1 + len(texts)) / (1 + df[g])) + 1)
            for g, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({g: v / norm for g, v in vec.items()})
    return vectors


def average_linkage(vectors: list[dict[str, float]], threshold: float) -> list[list[int]]:
    """Textbook average-linkage agglomeration on full pairwise cosine."""
    n = len(vectors)
    sim = [
        [sum(v * vectors[j].get(k, 0.0) for k, v in vectors[i].items()) for j in range(n)]
        for i in range(n)
    ]
    groups = [[i] for i in range(n)]
    while True:
        best, pair = threshold, None
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                avg = sum(sim[i][j] for i in groups[a] for j in groups[b]) / (
                    len(groups[a]) * len(groups[b])
                )
                if avg >= best:
                    best, pair = avg, (a, b)
        if pair is None:
            return groups
        a, b = pair
        groups[a] += groups.pop(b)


def evaluate(path: Path) -> dict[str, Any]:
    """Every method's figures on one labelled file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    notes = data["notes"]
    labels = [n["label"] for n in notes]
    texts = [n["text"] for n in notes]
    with_hints = [NoteIn(n["id"], n["room"], "trend", n["text"], n.get("cluster")) for n in notes]
    without = [NoteIn(n["id"], n["room"], "trend", n["text"]) for n in notes]
    results: dict[str, Any] = {
        "notes": len(notes),
        "rooms": len({n["room"] for n in notes}),
        "gold_items": len(set(labels)),
    }
    results["singletons"] = bcubed([[i] for i in range(len(notes))], labels)
    vectors = char_tfidf(texts)
    sweep = {t / 100: bcubed(average_linkage(vectors, t / 100), labels) for t in range(5, 60, 5)}
    best_t = max(sweep, key=lambda t: sweep[t][2])
    results["tfidf_best_threshold"] = best_t
    results["tfidf"] = sweep[best_t]
    results["synthesis"] = bcubed(group_notes(with_hints), labels)
    results["synthesis_no_room_clusters"] = bcubed(group_notes(without), labels)
    results["synthesis_sweep"] = {
        t / 100: bcubed(group_notes(with_hints, threshold=t / 100), labels)[2]
        for t in range(10, 42, 2)
    }
    return results


def main() -> None:
    """Print a Markdown table."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    r = evaluate(path)
    print(f"{r['notes']} notes, {r['rooms']} rooms, {r['gold_items']} gold items ({path.name})\n")
    print("| method | BCubed precision | recall | F1 |")
    print("|---|---|---|---|")
    rows = [
        ("every note alone", r["singletons"]),
        (
            f"char n-gram TF-IDF + average linkage (best threshold "
            f"{r['tfidf_best_threshold']:.2f})",
            r["tfidf"],
        ),
        (f"Plenary synthesis (threshold {THRESHOLD})", r["synthesis"]),
        ("Plenary synthesis without room-cluster hints", r["synthesis_no_room_clusters"]),
    ]
    for name, (p, rec, f1) in rows:
        print(f"| {name} | {p:.3f} | {rec:.3f} | {f1:.3f} |")
    print(
        "\nSynthesis F1 by threshold: "
        + ", ".join(f"{t:.2f}: {f:.3f}" for t, f in r["synthesis_sweep"].items())
    )


if __name__ == "__main__":
    main()
