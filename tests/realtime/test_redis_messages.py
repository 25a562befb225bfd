"""The Redis message format: what one process publishes, another reads back unchanged."""

from typing import Any

from app.realtime.envelope import Outbound, dumps, event_frame
from app.realtime.redis import RedisBroker


def pair() -> tuple[RedisBroker, RedisBroker, dict[str, list[Any]]]:
    sender, receiver = RedisBroker("redis://unused"), RedisBroker("redis://unused")
    heard: dict[str, list[Any]] = {"event": [], "control": [], "presence": []}
    receiver.bind(
        heard["event"].append,
        heard["control"].append,
        lambda: None,
        heard["presence"].append,
    )
    return sender, receiver, heard


def deliver(sender: RedisBroker, receiver: RedisBroker) -> int:
    """Hand every queued message of `sender` to `receiver` as Redis would."""
    count = 0
    while not sender._outbox.empty():
        channel, data = sender._outbox.get_nowait()
        receiver._dispatch({"channel": channel.encode(), "data": data.encode()})
        count += 1
    return count


def test_events_arrive_as_they_were_published_frames_untouched() -> None:
    sender, receiver, heard = pair()
    text = 'Wat "blijft" er, wat is nieuw? Één idee  met spaties \\ en \n regels'
    full = event_frame("r_1", 7, "note.added", dumps({"note": {"text": text}}), "p_a", "2026")
    hidden = event_frame("r_1", 7, "note.added", dumps({"note": {"hidden": True}}), "p_a", "2026")
    private = Outbound("r_1", 7, full, hidden, "p_a", 1795900000.123456)
    public = Outbound("r_1", 8, full.replace('"seq":7', '"seq":8'), None, None, 1795900000.5)
    sender.publish_event(private)
    sender.publish_event(public)
    assert deliver(sender, receiver) == 2
    assert heard["event"] == [private, public]


def test_control_and_presence_messages_and_a_process_ignores_its_own() -> None:
    sender, receiver, heard = pair()
    move = {"kind": "move", "participant_id": "p_a", "room": "r_2"}
    sender.publish_control(move)
    sender._enqueue(sender.channel("r_1"), "p")
    deliver(sender, receiver)
    assert heard["control"] == [move]
    assert heard["presence"] == ["r_1"]
    own: list[Outbound] = []
    sender.bind(own.append, own.append, lambda: None, own.append)
    sender.publish_event(Outbound("r_1", 1, "{}", None, None, 0.0))
    sender.publish_control(move)
    assert deliver(sender, sender) == 2  # a process hears its own rooms...
    assert own == []  # ...and drops its own messages unread
