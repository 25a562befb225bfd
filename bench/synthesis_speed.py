"""How long the synthesis takes as workshops grow, up to 20,000 notes, and how the fast path groups.

    .venv/bin/python -m bench.synthesis_speed

Notes are drawn from a labelled workshop with a filler phrase added and, half
the time, a word mistyped (as on a phone), so the vocabulary grows with the
size as in a real conference, and each keeps its source note's label: the
grouping at scale is scored against them, once as built (the graph pruned
beyond grouping.EXACT_UP_TO notes) and once with every pair at 5,000 notes, to
show what the pruning costs. The repetitive case draws 2,560 notes of
three words from a 60-word vocabulary (64 rooms x 40).
"""

import json
import random
import resource
import time
from pathlib import Path

from app.boards import grouping
from app.boards.suggestions import suggest
from app.boards.synthesis import DEFAULT_METHOD, Grouped, NoteIn, VoteIn, build_items
from bench.synthesis_quality import bcubed
from bench.vocabulary import SMALL_VOCABULARY as VOCABULARY

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "synthesis_labelled.json"

FILLERS = [
    "echt",
    "steeds",
    "vooral",
    "zeker",
    "bij ons",
    "in 2030",
    "denk ik",
    "ook",
    "nu al",
    "straks",
    "op de afdeling",
    "bij de gemeente",
    "in de zorg",
    "!",
]


def workshop(size: int, rooms: int, seed: int = 7) -> tuple[list[NoteIn], list[VoteIn], list[str]]:
    """`size` notes spread over `rooms`, each with a few votes, and their source's labels."""
    rng = random.Random(seed)
    base = json.loads(DEFAULT.read_text(encoding="utf-8"))["notes"]
    notes, votes, labels = [], [], []
    for i in range(size):
        source = rng.choice(base)
        text = f"{typed(source['text'], rng)} {rng.choice(FILLERS)}"
        note = NoteIn(f"n{i}", f"r{i % rooms}", "trend", text)
        notes.append(note)
        labels.append(source["label"])
        votes += [VoteIn(note.id, rng.randint(1, 5), rng.randint(1, 5)) for _ in range(3)]
    return notes, votes, labels


def typed(text: str, rng: random.Random) -> str:
    """The text with, half the time, one word mistyped as on a phone (a letter lost,
    doubled or swapped), so the vocabulary keeps growing with the notes."""
    words = text.split()
    long = [i for i, word in enumerate(words) if len(word) >= 4]
    if not long or rng.random() < 0.5:
        return text
    i = rng.choice(long)
    word, at = words[i], rng.randrange(1, len(words[i]) - 1)
    words[i] = rng.choice(
        [
            word[:at] + word[at + 1 :],
            word[:at] + word[at] + word[at:],
            word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :],
        ]
    )
    return " ".join(words)


def repetitive(seed: int = 7) -> list[NoteIn]:
    """64 rooms x 40 notes of three words from a 60-word vocabulary."""
    rng = random.Random(seed)
    return [
        NoteIn(f"n{i}", f"r{i % 64}", "trend", " ".join(rng.choice(VOCABULARY) for _ in range(3)))
        for i in range(2560)
    ]


def timed(notes: list[NoteIn], votes: list[VoteIn], rooms: int, runs: int) -> tuple[float, list]:
    """The best time of `runs` builds: the items and the moderator's suggestions."""
    best, items = float("inf"), []
    for _ in range(runs):
        counter = iter(range(10**9))
        grouped: list[Grouped] = []
        started = time.perf_counter()
        items = build_items(
            notes,
            votes,
            clusters={},
            rooms_total=rooms,
            new_id=lambda c=counter: f"i{next(c)}",
            grouped_out=grouped,
        )
        for lane in grouped:
            suggest(lane, DEFAULT_METHOD.threshold)
        best = min(best, time.perf_counter() - started)
    return best, items


def f1_of(items: list, notes: list[NoteIn], labels: list[str]) -> float:
    index = {n.id: i for i, n in enumerate(notes)}
    return bcubed([[index[n] for n in item.note_ids] for item in items], labels)[2]


def main() -> None:
    """Print Markdown tables: seconds by size, and the fast path against every pair."""
    print(
        "| notes | rooms | items | seconds (best of 3; 1 run from 5,000) | F1 against the labels |"
    )
    print("|---|---|---|---|---|")
    for size, rooms in ((480, 8), (1000, 16), (2000, 32), (5000, 500), (20000, 2000)):
        notes, votes, labels = workshop(size, rooms)
        took, items = timed(notes, votes, rooms, 3 if size <= 2000 else 1)
        print(
            f"| {size} | {rooms} | {len(items)} | {took:.2f} | {f1_of(items, notes, labels):.3f} |"
        )
    notes = repetitive()
    took, items = timed(notes, [], 64, 1)
    print(f"| 2560, from a 60-word vocabulary | 64 | {len(items)} | {took:.2f} | – |")
    notes, votes, labels = workshop(5000, 500)
    fast = f1_of(timed(notes, votes, 500, 1)[1], notes, labels)
    as_built = sorted(sorted(item.note_ids) for item in timed(notes, votes, 500, 1)[1])
    grouping.EXACT_UP_TO = 10**9  # every pair that shares a feature
    took, items = timed(notes, votes, 500, 1)
    same = as_built == sorted(sorted(item.note_ids) for item in items)
    print(
        f"\n5,000 notes grouped with every pair: {took:.2f} s, F1 {f1_of(items, notes, labels):.3f}"
        f" (as built: F1 {fast:.3f}); the same groups: {'yes' if same else 'no'}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
