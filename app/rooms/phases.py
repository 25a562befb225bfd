"""Pure rules: the method templates, their phases and lanes, and what a participant may do when."""

from typing import Literal

Method = Literal["scenario", "backcast", "free"]
Language = Literal["nl", "en"]

PHASES: dict[str, tuple[str, ...]] = {
    "scenario": ("lobby", "collect", "cluster", "rate", "plot", "story", "closed"),
    "backcast": ("lobby", "collect", "rate", "path", "closed"),
    "free": ("lobby", "open", "closed"),
}

LANES: dict[str, tuple[str, ...]] = {
    "scenario": ("trend",),
    "backcast": ("keep", "new", "drop", "step"),
    "free": ("note",),
}

# Where notes written privately stay private (until the moderator reveals them): the
# writing phase of each method and the lobby before it. Leaving them reveals the notes.
PRIVATE_PHASES: dict[str, tuple[str, ...]] = {
    "scenario": ("lobby", "collect"),
    "backcast": ("lobby", "collect"),
    "free": ("lobby", "open"),
}


def writes_privately(method: str, phase: str) -> bool:
    """Whether private notes are still private in this phase of the method."""
    return phase in PRIVATE_PHASES.get(method, ())


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
    "path": NOTE_OPS,  # steps only: see participant_refusal
}
PHASE_OPS["open"] = frozenset().union(*PHASE_OPS.values())

# Fields of a note that only place it (anyone may move anyone's note while clustering).
LAYOUT_FIELDS = frozenset({"lane", "x", "y", "cluster_id"})
# On the backcast path anyone may set a step's moment and its place in the order.
STEP_LAYOUT_FIELDS = frozenset({"when", "x"})
STEP_LANE = "step"

Refusal = tuple[str, str]


def phase_allows(phase: str, op: str) -> bool:
    """Whether a participant may send `op` at all in `phase`."""
    return op in PHASE_OPS.get(phase, frozenset())


def participant_refusal(
    phase: str,
    op: str,
    *,
    is_author: bool = True,
    fields: frozenset[str] = frozenset(),
    lane: str | None = None,
) -> Refusal | None:
    """Why a participant may not do this now (code, sentence), or None when allowed.

    `lane` is the note's lane (for `note.add`, the lane it would get; for an edit
    that moves it, both lanes count: see the callers).
    """
    if not phase_allows(phase, op):
        return "phase_forbids", f"'{op}' is not possible in the {phase} phase."
    if op in NOTE_OPS and lane is not None:
        refusal = _step_refusal(phase, op, lane, is_author, fields)
        if refusal is not None or phase == "path":
            return refusal
    if op == "note.delete" and not is_author:
        return "forbidden", "Only the author may delete a note."
    if op == "note.edit":
        if phase == "cluster" and not fields <= LAYOUT_FIELDS:
            return "phase_forbids", "While clustering, notes can be moved but not rewritten."
        if not is_author and (phase == "collect" or not fields <= LAYOUT_FIELDS):
            return "forbidden", "Only the author may change a note's text or colour."
    return None


def _step_refusal(
    phase: str, op: str, lane: str, is_author: bool, fields: frozenset[str]
) -> Refusal | None:
    # Steps from today to the horizon belong to the path phase, and only they do.
    if phase != "path":
        if lane == STEP_LANE:
            return "phase_forbids", "Steps towards the horizon come in the path phase."
        return None
    if lane != STEP_LANE:
        return "phase_forbids", "On the path only steps can be added or changed."
    if op == "note.delete" and not is_author:
        return "forbidden", "Only the author may delete a step."
    if op == "note.edit" and not is_author and not fields <= STEP_LAYOUT_FIELDS:
        return "forbidden", "Only the author may change a step's words or colour."
    if op == "note.edit" and "lane" in fields:
        return "phase_forbids", "A step stays a step."
    return None


def default_lane(method: str, phase: str) -> str:
    """The lane a note gets when none is given: a step on the path, else the method's first."""
    if phase == "path" and STEP_LANE in LANES[method]:
        return STEP_LANE
    return LANES[method][0]


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
            "nl": "Stap 2: maak clusters van briefjes die bij elkaar horen, hooguit vijf, "
            "elk met een titel: jullie top 5 van onzekerheden en uitdagingen. Geef een "
            "titel bij ‘Nieuwe cluster’ en kies ‘Cluster maken’; daarna kies je bij een "
            "briefje ‘Naar cluster’.",
            "en": "Step 2: make clusters of notes that belong together, five at most, each "
            "with a title: your top 5 of uncertainties and challenges. Type a title under "
            "‘New cluster’ and choose ‘Make cluster’; then use ‘To cluster’ on a note.",
        },
        "rate": {
            "nl": "Stap 3: geef elke onzekerheid een cijfer van 1 tot 5 voor impact en "
            "voor onzekerheid.",
            "en": "Step 3: score each uncertainty from 1 to 5 on impact and on uncertainty.",
        },
        "plot": {
            "nl": "Stap 4: kies uit de grafiek de twee belangrijkste onzekerheden. Ze worden "
            "de assen van het scenariokruis: geef elke as twee uitersten, zoals "
            "'Verbinding: sterk / zwak'.",
            "en": "Step 4: pick the two key uncertainties from the chart. They become the "
            "axes of the scenario cross: give each axis two poles, like "
            "'Connection: strong / weak'.",
        },
        "story": {
            "nl": "Stap 5: elk kwadrant van het kruis is een scenario. Geef het een titel, een "
            "metafoor, kenmerken en een verhaal.",
            "en": "Step 5: each quadrant of the cross is a scenario. Give it a title, a "
            "metaphor, its characteristics and a story.",
        },
        "closed": {
            "nl": "Deze ronde is afgesloten. Dank je wel!",
            "en": "This round is closed. Thank you!",
        },
    },
    "backcast": {
        "lobby": {
            "nl": "Welkom! Straks kijken we terug vanuit {horizon}.",
            "en": "Welcome! Soon we look back from {horizon}.",
        },
        "collect": {
            "nl": "Stel je voor: het is {horizon}. Hoe ziet je werk eruit? Wat blijft, "
            "wat is nieuw en wat verdwijnt?",
            "en": "Imagine it is {horizon}. What does your work look like? What stays, "
            "what is new and what disappears?",
        },
        "rate": {
            "nl": "Geef de briefjes een cijfer van 1 tot 5 voor impact en voor onzekerheid.",
            "en": "Score the notes from 1 to 5 on impact and on uncertainty.",
        },
        "path": {
            "nl": "Redeneer terug: welke stappen brengen ons van vandaag naar {horizon}? "
            "Zet ze in volgorde en zeg wanneer.",
            "en": "Reason back: which steps take us from today to {horizon}? "
            "Put them in order and say when.",
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

# What {horizon} reads as when a workshop names none.
NO_HORIZON = {"nl": "een moment in de toekomst", "en": "a moment in the future"}

# A horizon given as a question or a sentence ("Hoe ziet mijn werk eruit in december?")
# does not fit inside one: then the instruction quotes it whole instead.
QUOTED_HORIZON = {
    "lobby": {
        "nl": "Welkom! Straks kijken we terug vanuit de toekomst: «{horizon}»",
        "en": "Welcome! Soon we look back from the future: «{horizon}»",
    },
    "collect": {
        "nl": "Stel je voor dat het zover is: «{horizon}» Wat blijft, wat is nieuw en "
        "wat verdwijnt?",
        "en": "Imagine the moment has come: «{horizon}» What stays, what is new and "
        "what disappears?",
    },
    "path": {
        "nl": "Redeneer terug vanuit «{horizon}»: welke stappen brengen ons daar, "
        "vanaf vandaag? Zet ze in volgorde en zeg wanneer.",
        "en": "Reason back from «{horizon}»: which steps take us there from today? "
        "Put them in order and say when.",
    },
}


def is_sentence(horizon: str) -> bool:
    """Whether a horizon reads as a question or a sentence rather than a moment."""
    return horizon.rstrip()[-1:] in "?!." or len(horizon.split()) > 4


def instructions_for(method: str, horizon: str | None) -> dict[str, dict[str, str]]:
    """Every phase's instruction of a method in both languages, the horizon filled in."""
    return {
        phase: {lang: instruction(method, phase, lang, horizon) for lang in texts}
        for phase, texts in INSTRUCTIONS[method].items()
    }


def instruction(method: str, phase: str, language: str, horizon: str | None = None) -> str:
    """The instruction a participant sees in this phase, in this language."""
    texts = INSTRUCTIONS[method][phase]
    if horizon and is_sentence(horizon) and method == "backcast" and phase in QUOTED_HORIZON:
        texts = QUOTED_HORIZON[phase]
    text = texts.get(language) or texts["en"]
    moment = horizon or NO_HORIZON.get(language, NO_HORIZON["en"])
    return text.replace("{horizon}", moment)
