"""Tables of the rooms domain: workshops, rooms, participants and token credentials."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.clock import utcnow


class Workshop(SQLModel, table=True):
    """One session of break-outs, led by one moderator."""

    id: str = Field(primary_key=True, max_length=32)
    title: str = Field(max_length=200)
    question: str = Field(max_length=1000)
    method: str = Field(max_length=16)
    language: str = Field(max_length=2)
    private_notes: bool = False
    hide_tallies: bool = False
    room_choice: bool = False  # the join page offers a choice of room
    horizon: str | None = Field(default=None, max_length=40)  # backcasting reasons back from it
    timezone: str = Field(default="UTC", max_length=64)  # the clock the reports are dated by
    follows: str | None = Field(default=None, max_length=32)  # the earlier workshop of a series
    previous: str | None = None  # JSON: that workshop's title, question and top items
    plenary_view: str = Field(default="auto", max_length=16)  # what the projection shows
    synthesis_lexicon: bool = True  # the synthesis uses the subject lexicon
    join_code: str = Field(max_length=16, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Room(SQLModel, table=True):
    """A break-out room; its id is also the id of its event stream."""

    id: str = Field(primary_key=True, max_length=32)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, max_length=32)
    name: str = Field(max_length=80)
    position: int
    phase: str = Field(default="lobby", max_length=16)
    locked: bool = False
    revealed: bool = False
    timer_ends_at: datetime | None = None
    # The latest broadcast, until the room's phase changes (late joiners see it too).
    message: str | None = Field(default=None, max_length=1000)
    message_at: datetime | None = None


class Participant(SQLModel, table=True):
    """Someone who joined with the code; no account, just a name and a token."""

    id: str = Field(primary_key=True, max_length=32)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, max_length=32)
    room_id: str = Field(foreign_key="room.id", index=True, max_length=32)
    name: str = Field(max_length=60)
    revoked: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class Credential(SQLModel, table=True):
    """A token's hash and what it grants; the token itself is never stored."""

    token_hash: str = Field(primary_key=True, max_length=64)
    workshop_id: str = Field(foreign_key="workshop.id", index=True, max_length=32)
    role: str = Field(max_length=16)
    participant_id: str | None = Field(default=None, max_length=32)
