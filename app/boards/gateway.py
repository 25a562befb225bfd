"""The domains' answer to the transport: tokens, which streams a hello may follow, snapshots."""

from typing import Any

from sqlmodel import Session

from app.boards.snapshot import board_snapshot
from app.boards.synthesis_build import synthesis_snapshot
from app.errors import PlenaryError
from app.realtime.gateway import Identity
from app.rooms import service as rooms


class BoardGateway:
    """Implements `app.realtime.gateway.Gateway` over rooms and boards."""

    def authenticate(self, session: Session, workshop_id: str, token: str) -> Identity:
        """Resolve a token within one workshop."""
        return rooms.authenticate(session, workshop_id, token)

    def streams_for(self, session: Session, identity: Identity, room: str) -> list[str]:
        """A participant follows its own room; moderator and projector any room, or `*`."""
        if room == "*":
            if identity.role == "participant":
                raise PlenaryError("forbidden", "Only moderator and projector follow all rooms.")
            return [r.id for r in rooms.all_rooms(session, identity.workshop_id)]
        if room == "synthesis":
            if identity.role == "participant":
                raise PlenaryError("forbidden", "The synthesis is for moderator and projector.")
            return [rooms.synthesis_stream(identity.workshop_id)]
        if identity.role == "participant":
            if room != identity.room_id:
                raise PlenaryError("forbidden", "This token belongs to another room.")
            return [room]
        rooms.rooms_of(session, identity.workshop_id, [room])
        return [room]

    def snapshot(self, session: Session, identity: Identity, stream: str) -> dict[str, Any]:
        """The board of one room, or the merged board."""
        if stream == rooms.synthesis_stream(identity.workshop_id):
            return synthesis_snapshot(session, identity)
        return board_snapshot(session, identity, stream)
