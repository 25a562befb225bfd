"""The moderator's live edits of the merged board: rename, merge, split, move a note.

Each edit reads only the items it touches (`gather_items`), inside one locked
transaction, and says what it did as one event on the synthesis stream.
"""

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.boards.models import SynthesisItem, SynthesisLink, SynthesisPlacement, SynthesisState
from app.boards.synthesis import auto_title
from app.boards.synthesis_read import gather_items, stored_items
from app.boards.synthesis_view import item_dict, item_view, open_suggestions, visible_votes
from app.errors import PlenaryError
from app.realtime.envelope import NewEvent
from app.realtime.log import lock_stream
from app.rooms import service as rooms
from app.rooms.tokens import new_id
from app.textrules import clean_text

DataBuilder = Callable[[dict[str, dict[str, Any]]], dict[str, Any]]  # item views -> event data


class Editor:
    """Edits of one workshop's synthesis, inside one transaction with its stream locked."""

    def __init__(self, session: Session, workshop_id: str) -> None:
        self.stream = rooms.synthesis_stream(workshop_id)
        lock_stream(session, self.stream)
        self.session = session
        self.workshop_id = workshop_id

    def item(self, item_id: str) -> SynthesisItem:
        """A stored item of this workshop, or 404."""
        found = self.session.get(SynthesisItem, item_id)
        if found is None or found.workshop_id != self.workshop_id:
            raise PlenaryError("not_found", f"There is no item {item_id} in the synthesis.")
        return found

    def members(self, item_id: str) -> list[str]:
        """The notes placed in an item."""
        return list(
            self.session.exec(
                select(SynthesisPlacement.note_id)
                .where(SynthesisPlacement.item_id == item_id)
                .order_by(col(SynthesisPlacement.note_id))
            ).all()
        )

    def _place(self, note_ids: list[str], item_id: str) -> None:
        self.session.execute(
            update(SynthesisPlacement)
            .where(col(SynthesisPlacement.note_id).in_(note_ids))
            .values(item_id=item_id)
            .execution_options(synchronize_session=False)
        )

    def _keep_apart(self, these: list[str], those: list[str]) -> None:
        # What the moderator took apart stays apart: no rebuild joins these notes again and
        # no suggestion offers to undo the edit (eighth trial), as after a rejection.
        pairs = {tuple(sorted((a, b))) for a in these for b in those if a != b}
        if not pairs:
            return
        known = {
            (link.a, link.b)
            for link in self.session.exec(
                select(SynthesisLink).where(
                    SynthesisLink.workshop_id == self.workshop_id,
                    col(SynthesisLink.a).in_(sorted({a for a, _ in pairs})),
                )
            )
        }
        for a, b in sorted(pairs - known):
            self.session.add(SynthesisLink(workshop_id=self.workshop_id, a=a, b=b))

    def _pin(self, *items: SynthesisItem) -> None:
        # A shaped item keeps its notes across rebuilds; an unnamed one retitles itself.
        self.session.flush()
        for item in items:
            item.pinned = True
            if not item.renamed:
                inputs = gather_items(self.session, self.workshop_id, self.members(item.id))
                notes = [inputs.notes[n] for n in self.members(item.id) if n in inputs.notes]
                if notes:
                    item.title = auto_title(notes, inputs.workshop["language"])
            self.session.add(item)
        self.session.flush()

    def _event(self, op: str, build: DataBuilder, item_ids: list[str]) -> NewEvent:
        # One event: the moderator's view, and the projector's without hidden tallies.
        self.session.flush()
        note_ids = [n for item_id in item_ids for n in self.members(item_id)]
        inputs = gather_items(self.session, self.workshop_id, note_ids)
        stored = {s.id: s for s in stored_items(self.session, self.workshop_id, item_ids)}

        def views(hidden: frozenset[str]) -> dict[str, Any]:
            votes = visible_votes(inputs, hidden)
            shown = {}
            for item_id, item in stored.items():
                view = item_view(item, inputs, votes)
                if view is not None:
                    shown[item_id] = item_dict(view, inputs)
            return build(shown)

        hidden = inputs.hidden_rooms
        redacted = views(hidden) if hidden else None
        return NewEvent(self.stream, op, views(frozenset()), redacted=redacted)

    def rename(self, item_id: str, title: str) -> list[NewEvent]:
        """Give an item the moderator's title."""
        item = self.item(item_id)
        item.title = clean_text(title, field="title", max_len=280)
        item.renamed = True
        self._pin(item)
        return [self._event("item.renamed", lambda v: {"item": v[item_id]}, [item_id])]

    def merge(self, ids: list[str]) -> list[NewEvent]:
        """Fold items into the first one named."""
        if len(ids) < 2 or len(set(ids)) != len(ids):
            raise PlenaryError("invalid", "Name at least two different items to merge.")
        items = [self.item(i) for i in ids]
        if len({i.lane for i in items}) > 1:
            raise PlenaryError("invalid", "Items of different lanes stay apart.")
        keep, others = items[0], [i.id for i in items[1:]]
        self.session.execute(
            update(SynthesisPlacement)
            .where(col(SynthesisPlacement.item_id).in_(others))
            .values(item_id=keep.id)
            .execution_options(synchronize_session=False)
        )
        self.session.execute(delete(SynthesisItem).where(col(SynthesisItem.id).in_(others)))
        # The survivor keeps the title the moderator saw and chose to merge into, also on
        # rebuilds: a title taken from a third note would hide what was just merged.
        if keep.title:
            keep.renamed = True
        self._pin(keep)
        return [
            self._event("item.merged", lambda v: {"item": v[keep.id], "merged": others}, [keep.id])
        ]

    def split(self, item_id: str, note_ids: list[str]) -> list[NewEvent]:
        """Take some notes out of an item into a new one."""
        item = self.item(item_id)
        current = set(self.members(item_id))
        if not note_ids or len(set(note_ids)) != len(note_ids):
            raise PlenaryError("invalid", "Name the notes to split off, each once.")
        strangers = [n for n in note_ids if n not in current]
        if strangers:
            raise PlenaryError("invalid", f"Note {strangers[0]} is not in item {item_id}.")
        if set(note_ids) == current:
            raise PlenaryError("invalid", "Splitting off every note leaves nothing behind.")
        new = SynthesisItem(id=new_id("i"), workshop_id=self.workshop_id, lane=item.lane, title="")
        self.session.add(new)
        self.session.flush()
        self._place(note_ids, new.id)
        self._keep_apart(note_ids, sorted(current - set(note_ids)))
        self._pin(item, new)
        return [
            self._event(
                "item.split",
                lambda v: {"item": v[item_id], "new_item": v[new.id]},
                [item_id, new.id],
            )
        ]

    def _open(self, suggestion_id: str) -> dict[str, Any]:
        state = self.session.get(SynthesisState, self.workshop_id)
        offered = json.loads(state.suggestions) if state is not None else []
        stored = stored_items(self.session, self.workshop_id)
        still = {s["id"] for s in open_suggestions(stored, offered)}
        for suggestion in offered:
            if suggestion["id"] == suggestion_id and suggestion_id in still:
                return dict(suggestion)
        raise PlenaryError("not_found", "That suggestion is no longer open.")

    def _settle(self, suggestion_id: str, accepted: bool) -> NewEvent:
        state = self.session.get(SynthesisState, self.workshop_id)
        if state is not None:
            offered = [s for s in json.loads(state.suggestions) if s["id"] != suggestion_id]
            state.suggestions = json.dumps(offered, ensure_ascii=False)
            self.session.add(state)
        data = {"id": suggestion_id, "accepted": accepted}
        # The projector's copy is empty: it keeps the seq gapless and tells nothing.
        return NewEvent(self.stream, "suggestion.settled", data, redacted={})

    def accept(self, suggestion_id: str) -> list[NewEvent]:
        """Do what a suggestion proposes: the same edit as by hand, kept by every rebuild."""
        suggestion = self._open(suggestion_id)
        if suggestion["kind"] == "merge":
            events = self.merge(self._stronger_first(list(suggestion["items"])))
        else:
            events = self.move_note(suggestion["note_id"], suggestion["items"][1])
        return [*events, self._settle(suggestion_id, True)]

    def _stronger_first(self, ids: list[str]) -> list[str]:
        # "Ja, samenvoegen" keeps the title of the item ranked higher (eighth trial: the
        # suggestion's order is by id, and the weaker title survived on a top item).
        stored = stored_items(self.session, self.workshop_id, ids)
        inputs = gather_items(
            self.session, self.workshop_id, [n for s in stored for n in s.note_ids]
        )
        votes = visible_votes(inputs, frozenset())
        seen = [(s.id, item_view(s, inputs, votes)) for s in stored]
        ranked = sorted(
            seen,
            key=lambda pair: (
                -(pair[1].score if pair[1] else 0.0),
                -(len(pair[1].note_ids) if pair[1] else 0),
                pair[0],
            ),
        )
        return [item_id for item_id, _view in ranked]

    def reject(self, suggestion_id: str) -> list[NewEvent]:
        """Keep a suggestion's two notes apart from now on; it is never offered again."""
        suggestion = self._open(suggestion_id)
        a, b = sorted(suggestion["apart"])
        if self.session.get(SynthesisLink, (self.workshop_id, a, b)) is None:
            self.session.add(SynthesisLink(workshop_id=self.workshop_id, a=a, b=b))
        return [self._settle(suggestion_id, False)]

    def move_note(self, note_id: str, to: str) -> list[NewEvent]:
        """Move one note to another item (an item left empty disappears)."""
        target = self.item(to)
        placement = self.session.get(SynthesisPlacement, note_id)
        if placement is None or placement.workshop_id != self.workshop_id:
            raise PlenaryError("not_found", f"Note {note_id} is not in the synthesis.")
        source = self.item(placement.item_id)
        if source.id == target.id:
            raise PlenaryError("invalid", "The note is already in that item.")
        if source.lane != target.lane:
            raise PlenaryError("invalid", "A note stays in its own lane.")
        self._place([note_id], target.id)
        self._keep_apart([note_id], [n for n in self.members(source.id) if n != note_id])
        # The item a note was moved into keeps the title it was chosen by ("move this note
        # to «X»"), as a merge's survivor does; a note joining must not rename it.
        if target.title:
            target.renamed = True
        self.session.flush()
        left = self.members(source.id)
        emptied = not gather_items(self.session, self.workshop_id, left).notes
        if emptied:
            self.session.execute(
                delete(SynthesisPlacement).where(col(SynthesisPlacement.item_id) == source.id)
            )
            self.session.delete(source)
            self._pin(target)
            shown = [target.id]
        else:
            self._pin(source, target)
            shown = [source.id, target.id]

        def data(v: dict[str, Any]) -> dict[str, Any]:
            return {
                "note_id": note_id,
                "from": None if emptied else v[source.id],
                "to": v[target.id],
                "deleted": [source.id] if emptied else [],
            }

        return [self._event("item.note_moved", data, shown)]
