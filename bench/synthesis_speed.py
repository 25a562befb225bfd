"""How long the synthesis takes as workshops grow (8 rooms x 60 notes up to 5,000 notes).

    .venv/bin/python -m bench.synthesis_speed

Notes are drawn from the labelled workshop with a word or two varied, so the
vocabulary grows with the size as in a real conference.
"""

import json
import random
import time

from app.boards.synthesis import NoteIn, VoteIn, build_items
from bench.synthesis_quality import DEFAULT

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


def workshop(size: int, rooms: int, seed: int = 7) -> tuple[list[NoteIn], list[VoteIn]]:
    """`size` notes spread over `rooms`, each with a few votes."""
    rng = random.Random(seed)
    base = [n["text"] for n in json.loads(DEFAULT.read_text(encoding="utf-8"))["notes"]]
    notes, votes = [], []
    for i in range(size):
        text = f"{rng.choice(base)} {rng.choice(FILLERS)} {rng.randint(1, size // 10 + 1)}"
        note = NoteIn(f"n{i}", f"r{i % rooms}", "trend", text)
        notes.append(note)
        votes += [VoteIn(note.id, rng.randint(1, 5), rng.randint(1, 5)) for _ in range(3)]
    return notes, votes


def main() -> None:
    """Print a Markdown table of sizes and seconds (best of 3)."""
    print("| notes | rooms | items | seconds (best of 3) |")
    print("|---|---|---|---|")
    for size, rooms in ((480, 8), (1000, 16), (2000, 32), (5000, 80)):
        notes, votes = workshop(size, rooms)
        best = float("inf")
        items = []
        for _ in range(3 if size <= 2000 else 1):
            counter = iter(range(10**9))
            started = time.perf_counter()
            items = build_items(
                notes, votes, clusters={}, rooms_total=rooms, new_id=lambda c=counter: f"i{next(c)}"
            )
            best = min(best, time.perf_counter() - started)
        print(f"| {size} | {rooms} | {len(items)} | {best:.2f} |")


if __name__ == "__main__":
    main()
