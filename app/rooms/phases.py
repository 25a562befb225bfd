"""Pure rules: the method templates, their phases and lanes, and what a participant may do when."""

from typing import Literal

Method = Literal["scenario", "backcast", "free"]
Language = Literal["nl", "en"]

PHASES: dict[str, tuple[str, ...]] = {
    "scenario": ("lobby", "collect", "cluster", "rate", "plot", "story", "closed"),
    "backcast": ("lobby", "collect", "rate", "closed"),
    "free": ("lobby", "open", "closed"),
}

LANES: dict[str, tuple[str, ...]] = {
    "scenario": ("trend",),
    "backcast": ("keep", "new", "drop"),
    "free": ("note",),
}

NOTE_OPS = frozenset({"note.add", "note.edit", "note.delete"})
CLUSTER_OPS = frozenset({"cluster.create", "cluster.update", "cluster.delete"})
VOTE_OPS = frozenset({"vote.cast", "vote.clear"})

# What a participant may send in each phase; `open` allows everything above.
PHASE_OPS: dict[str, frozenset[str]] = {
    "lobby": frozenset(),
    "closed": frozenset(),
    "collect": NOTE_OPS,
    "cluster": CLUSTER_OPS | {"note.edit"},
    "rate": VOTE_OPS,
    "plot": frozenset({"axes.set"}),
    "story": frozenset({"story.edit"}),
}
PHASE_OPS["open"] = frozenset().union(*PHASE_OPS.values())

# Fields of a note that only place it (anyone may move anyone's note while clustering).
LAYOUT_FIELDS = frozenset({"lane", "x", "y", "cluster_id"})

Refusal = tuple[str, str]


def phase_allows(phase: str, op: str) -> bool:
    """Whether a participant may send `op` at all in `phase`."""
    return op in PHASE_OPS.get(phase, frozenset())


def participant_refusal(
    phase: str, op: str, *, is_author: bool = True, fields: frozenset[str] = frozenset()
) -> Refusal | None:
    """Why a participant may not do this now (code, sentence), or None when allowed."""
    if not phase_allows(phase, op):
        return "phase_forbids", f"'{op}' is not possible in the {phase} phase."
    if op == "note.delete" and not is_author:
        return "forbidden", "Only the author may delete a note."
    if op == "note.edit":
        if phase == "cluster" and not fields <= LAYOUT_FIELDS:
            return "phase_forbids", "While clustering, notes can be moved but not rewritten."
        if not is_author and (phase == "collect" or not fields <= LAYOUT_FIELDS):
            return "forbidden", "Only the author may change a note's text or colour."
    return None


def next_phase(method: str, current: str, step: int) -> str:
    """The phase `step` places after (or before, when negative) `current`, kept in range."""
    phases = PHASES[method]
    index = phases.index(current) + step
    return phases[max(0, min(len(phases) - 1, index))]


INSTRUCTIONS: dict[str, dict[str, dict[str, str]]] = {
    "scenario": {
        "lobby": {
            "nl": "Welkom! Zodra de moderator begint, verzamelen we samen trends.",
            "en": "Welcome! As soon as the moderator starts, we collect trends together.",
        },
        "collect": {
            "nl": "Stap 1: schrijf trends op die jouw werk de komende jaren veranderen. "
            "Eén trend per briefje.",
            "en": "Step 1: write down trends that will change your work in the coming years. "
            "One trend per note.",
        },
        "cluster": {
            "nl": "Stap 2: leg briefjes die bij elkaar horen samen en kies een top 5 van "
            "onzekerheden en uitdagingen.",
            "en": "Step 2: group notes that belong together and choose a top 5 of "
            "uncertainties and challenges.",
        },
        "rate": {
            "nl": "Stap 3: geef elke onzekerheid een cijfer van 1 tot 5 voor impact en "
            "voor onzekerheid.",
            "en": "Step 3: score each uncertainty from 1 to 5 on impact and on uncertainty.",
        },
        "plot": {
            "nl": "Stap 4: bekijk het assenkruis en kies de twee onzekerheden die er het "
            "meest toe doen.",
            "en": "Step 4: look at the axis cross and pick the two uncertainties that matter most.",
        },
        "story": {
            "nl": "Stap 5: vertel voor elk kwadrant een verhaal, met een titel en een metafoor.",
            "en": "Step 5: tell a story for each quadrant, with a title and a metaphor.",
        },
        "closed": {
            "nl": "Deze ronde is afgesloten. Dank je wel!",
            "en": "This round is closed. Thank you!",
        },
    },
    "backcast": {
        "lobby": {
            "nl": "Welkom! Straks kijken we terug vanuit de toekomst.",
            "en": "Welcome! Soon we look back from the future.",
        },
        "collect": {
            "nl": "Stel je voor dat het december is. Hoe ziet je werk eruit? Wat blijft, "
            "wat is nieuw en wat verdwijnt?",
            "en": "Imagine it is December. What does your work look like? What stays, "
            "what is new and what disappears?",
        },
        "rate": {
            "nl": "Geef de briefjes een cijfer van 1 tot 5 voor impact en voor onzekerheid.",
            "en": "Score the notes from 1 to 5 on impact and on uncertainty.",
        },
        "closed": {
            "nl": "Deze ronde is afgesloten. Dank je wel!",
            "en": "This round is closed. Thank you!",
        },
    },
    "free": {
        "lobby": {
            "nl": "Welkom! De break-out begint zo.",
            "en": "Welcome! The break-out starts shortly.",
        },
        "open": {
            "nl": "Praat vrijuit en noteer wat je opvalt.",
            "en": "Talk freely and note down what strikes you.",
        },
        "closed": {
            "nl": "Deze ronde is afgesloten. Dank je wel!",
            "en": "This round is closed. Thank you!",
        },
    },
}


def instruction(method: str, phase: str, language: str) -> str:
    """The instruction a participant sees in this phase, in this language."""
    texts = INSTRUCTIONS[method][phase]
    return texts.get(language) or texts["en"]
