"""Tables of the boards domain: notes, clusters, votes, axes and quadrant stories."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.clock import utcnow


class Note(SQLModel, table=True):
    """A sticky note; `cluster_id` is the one truth of cluster membership."""

    id: str = Field(primary_key=True, max_length=32)
    room_id: str = Field(foreign_key="room.id", index=True, max_length=32)
    author: str = Field(max_length=32)
    text: str = Field(max_length=280)
    lane: str = Field(max_length=16)
    color: str = Field(default="yellow", max_length=16)
    x: float | None = None
    y: float | None = None
    cluster_id: str | None = Field(default=None, index=True, max_length=32)
    when: str | None = Field(default=None, max_length=40)  # a backcast step's moment
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Cluster(SQLModel, table=True):
    """A named group of notes in one room."""

    id: str = Field(primary_key=True, max_length=32)
    room_id: str = Field(foreign_key="room.id", index=True, max_length=32)
    title: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow)


class Vote(SQLModel, table=True):
    """One voter's scores for one note or cluster; a second cast replaces the first."""

    target: str = Field(primary_key=True, max_length=32)
    voter: str = Field(primary_key=True, max_length=32)
    room_id: str = Field(foreign_key="room.id", index=True, max_length=32)
    impact: int
    uncertainty: int


class Axes(SQLModel, table=True):
    """The two key uncertainties a room chose for its scenario cross, and their named poles."""

    room_id: str = Field(primary_key=True, foreign_key="room.id", max_length=32)
    x: str | None = Field(default=None, max_length=32)
    y: str | None = Field(default=None, max_length=32)
    x_low: str | None = Field(default=None, max_length=60)
    x_high: str | None = Field(default=None, max_length=60)
    y_low: str | None = Field(default=None, max_length=60)
    y_high: str | None = Field(default=None, max_length=60)


class Story(SQLModel, table=True):
    """A quadrant's story; each field remembers the version that last changed it."""

    room_id: str = Field(primary_key=True, foreign_key="room.id", max_length=32)
    quadrant: str = Field(primary_key=True, max_length=2)
    title: str = Field(default="", max_length=120)
    metaphor: str = Field(default="", max_length=200)
    text: str = Field(default="", max_length=4000)
    traits: str = Field(default="[]", max_length=1000)  # JSON list of short strings
    version: int = 0
    title_v: int = 0
    metaphor_v: int = 0
    text_v: int = 0
    traits_v: int = 0
    updated_at: datetime | None = None


class StoryRevision(SQLModel, table=True):
    """A story's text as it was at one version: the base a late edit is merged against."""

    __tablename__ = "story_revision"
    room_id: str = Field(primary_key=True, foreign_key="room.id", max_length=32)
    quadrant: str = Field(primary_key=True, max_length=2)
    version: int = Field(primary_key=True)
    text: str = Field(default="", max_length=4000)


class SynthesisItem(SQLModel, table=True):
    """An item of the merged board; `pinned` once the moderator has shaped it."""

    __tablename__ = "synthesis_item"
    id: str = Field(primary_key=True, max_length=32)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, max_length=32)
    lane: str = Field(max_length=16)
    title: str = Field(max_length=280)
    renamed: bool = False  # the moderator chose the title; otherwise the representative note
    pinned: bool = False


class SynthesisPlacement(SQLModel, table=True):
    """Which item a note belongs to in the synthesis."""

    __tablename__ = "synthesis_placement"
    note_id: str = Field(primary_key=True, max_length=32)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, max_length=32)
    item_id: str = Field(foreign_key="synthesis_item.id", index=True, max_length=32)


class SynthesisLease(SQLModel, table=True):
    """Who is building a workshop's synthesis, until when: one build at a time, any process."""

    __tablename__ = "synthesis_lease"
    workshop_id: str = Field(primary_key=True, foreign_key="workshop.id", max_length=32)
    owner: str = Field(max_length=32)
    until: float


class Poll(SQLModel, table=True):
    """A question to the whole audience: open answers, or a ranking of options."""

    id: str = Field(primary_key=True, max_length=32)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, max_length=32)
    question: str = Field(max_length=280)
    kind: str = Field(max_length=8)  # "open" or "rank"
    options: str = Field(default="[]")  # JSON: [{"id", "text"}]
    pick: int | None = None  # rank: how many options each answer ranks at most
    open: bool = True
    results: str | None = None  # JSON: the final results, once closed
    answers: int = 0  # how many answered, once closed
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None


class PollAnswer(SQLModel, table=True):
    """One person's answer to a poll; answering again replaces it. Never shown with its voter."""

    __tablename__ = "poll_answer"
    poll_id: str = Field(primary_key=True, foreign_key="poll.id", max_length=32)
    voter: str = Field(primary_key=True, max_length=32)
    text: str | None = Field(default=None, max_length=280)
    ranking: str | None = None  # JSON: option ids, most important first
    updated_at: datetime = Field(default_factory=utcnow)


class SynthesisLink(SQLModel, table=True):
    """Two notes the moderator keeps apart (a rejected suggestion): no rebuild joins them."""

    __tablename__ = "synthesis_link"
    workshop_id: str = Field(primary_key=True, foreign_key="workshop.id", max_length=32)
    a: str = Field(primary_key=True, max_length=32)
    b: str = Field(primary_key=True, max_length=32)


class SynthesisState(SQLModel, table=True):
    """What the last build left besides items: the suggestions still open."""

    __tablename__ = "synthesis_state"
    workshop_id: str = Field(primary_key=True, foreign_key="workshop.id", max_length=32)
    suggestions: str = Field(default="[]")  # JSON, see app/boards/suggestions.py
