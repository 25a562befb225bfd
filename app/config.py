"""Settings read from the environment (and an optional .env file)."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# What an acknowledged change survives: the server process being killed, or
# also a power cut or OS crash, at the price of an fsync per ack (app/db.py).
Durability = Literal["process", "power"]


class Settings(BaseSettings):
    """Everything an operator may tune; defaults serve one person on a laptop."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default="sqlite:///./plenary.db", alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    create_token: str | None = Field(default=None, alias="PLENARY_CREATE_TOKEN")
    public_url: str | None = Field(default=None, alias="PLENARY_PUBLIC_URL")
    create_rate: int = Field(default=20, ge=0, alias="PLENARY_CREATE_RATE")
    join_rate: int = Field(default=120, ge=0, alias="PLENARY_JOIN_RATE")
    api_docs: bool = Field(default=False, alias="PLENARY_API_DOCS")
    header_timeout_s: float = Field(default=10.0, gt=0, alias="PLENARY_HEADER_TIMEOUT")
    metrics_token: str | None = Field(default=None, alias="PLENARY_METRICS_TOKEN")
    host: str = Field(default="127.0.0.1", alias="HOST")
    port: int = Field(default=8000, alias="PORT")
    allowed_origins: list[str] = Field(default_factory=list, alias="PLENARY_ALLOWED_ORIGINS")
    redis_prefix: str = Field(default="plenary", alias="PLENARY_REDIS_PREFIX")
    durability: Durability = Field(default="process", alias="PLENARY_DURABILITY")
    writers: int = Field(default=4, ge=1, le=32, alias="PLENARY_WRITERS")
    synthesis_workers: int = Field(default=1, ge=1, le=16, alias="PLENARY_SYNTHESIS_WORKERS")

    hello_timeout_s: float = Field(default=10.0, alias="PLENARY_HELLO_TIMEOUT")
    max_frame_bytes: int = Field(default=64 * 1024, alias="PLENARY_MAX_FRAME_BYTES")
    max_body_bytes: int = Field(default=64 * 1024, alias="PLENARY_MAX_BODY_BYTES")
    send_queue_frames: int = Field(default=1024, alias="PLENARY_SEND_QUEUE")
    replay_limit: int = Field(default=2000, alias="PLENARY_REPLAY_LIMIT")
    coalesce_ms: int = Field(default=25, alias="PLENARY_COALESCE_MS")
    gap_wait_ms: int = Field(default=100, alias="PLENARY_GAP_WAIT_MS")
    rate_per_s: float = Field(default=10.0, alias="PLENARY_RATE_PER_S")
    rate_burst: float = Field(default=40.0, alias="PLENARY_RATE_BURST")
    rate_strikes: int = Field(default=50, alias="PLENARY_RATE_STRIKES")
    max_sockets_per_participant: int = Field(default=5, alias="PLENARY_MAX_SOCKETS")
    max_viewer_sockets: int = Field(default=20, alias="PLENARY_MAX_VIEWER_SOCKETS")
    retention_days: float = Field(default=0.0, alias="PLENARY_RETENTION_DAYS")
    retention_check_s: float = Field(default=3600.0, alias="PLENARY_RETENTION_CHECK_S")

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def split_origins(cls, value: object) -> object:
        """Accept a comma-separated list, as environment variables are flat."""
        if isinstance(value, str):
            return [item.strip().rstrip("/") for item in value.split(",") if item.strip()]
        return value

    @field_validator("public_url")
    @classmethod
    def origin_only(cls, value: str | None) -> str | None:
        """The public origin, without a trailing slash (`https://plenary.example.org`)."""
        return value.strip().rstrip("/") or None if value else None

    @field_validator("database_url")
    @classmethod
    def use_psycopg3(cls, value: str) -> str:
        """Map plain postgres URLs onto the psycopg 3 driver we ship."""
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @property
    def is_sqlite(self) -> bool:
        """True when storage is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
