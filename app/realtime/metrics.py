"""Prometheus metrics of the transport, one registry per process (scrape every worker)."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry()
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

CONNECTIONS = Gauge("plenary_connections", "Open WebSocket connections", registry=REGISTRY)
EVENTS = Counter("plenary_events_total", "Events committed by this process", registry=REGISTRY)
DELIVERIES = Counter(
    "plenary_deliveries_total", "Event frames queued to sockets", registry=REGISTRY
)
SLOW_DROPS = Counter(
    "plenary_slow_consumers_dropped_total",
    "Sockets closed for a full send queue",
    registry=REGISTRY,
)
COMMANDS = Counter("plenary_commands_total", "Commands answered", ["result"], registry=REGISTRY)
ACK_SECONDS = Histogram(
    "plenary_ack_seconds",
    "From a command's arrival to its answer being queued",
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
FANOUT_SECONDS = Histogram(
    "plenary_fanout_seconds",
    "From an event's commit to its frames queued on every local socket",
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
QUEUED_FRAMES = Gauge(
    "plenary_send_queue_frames", "Frames waiting in all send queues", registry=REGISTRY
)
QUEUED_MAX = Gauge(
    "plenary_send_queue_frames_max", "Frames waiting in the fullest send queue", registry=REGISTRY
)


def exposition() -> bytes:
    """The metrics in Prometheus text format."""
    return generate_latest(REGISTRY)
