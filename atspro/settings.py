"""One settings object, read from the environment (and an optional ``.env``) once.

Build it in the entry point or a test fixture and pass it down; nothing else reads the
environment.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime configuration. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    # Backing services. Empty means "start an embedded one under data_dir".
    database_url: str = ""
    redis_url: str = ""
    arango_url: str = ""
    arango_database: str = "atspro"
    arango_username: str = "root"
    arango_password: str = ""
    document_store: str = Field(default="postgres", pattern="^(postgres|arango)$")
    data_dir: Path = Path(".atspro")

    # HTTP server.
    host: str = "127.0.0.1"
    port: int = 8000
    # Origins of browser apps that may call the API (CORS) and open its WebSocket, such as
    # "https://app.example.com", or "*" for any. Empty: only pages served by the API itself.
    cors_allow_origins: list[str] = Field(default_factory=list)

    # Queues and workers.
    redis_queue_prefix: str = "atspro"
    # Connections this process may open to Redis (a call waits up to redis_pool_timeout_s
    # for a free one, then fails as "Redis unavailable"): one stays with the event hub's
    # pub/sub reader and one with the worker's blocking read, the rest serve requests.
    redis_max_connections: int = Field(default=64, ge=4)
    redis_pool_timeout_s: float = Field(default=5.0, gt=0)
    worker_concurrency: int = Field(default=10, ge=1)
    high_priority_workers: int = Field(default=4, ge=0)
    normal_priority_workers: int = Field(default=4, ge=0)
    low_priority_workers: int = Field(default=2, ge=0)
    run_workers_in_api: bool = True
    task_timeout_seconds: float = Field(default=300.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    retry_base_delay_s: float = Field(default=1.0, ge=0)
    retry_max_delay_s: float = Field(default=300.0, ge=0)
    resource_exhausted_delay_s: float = Field(default=30.0, ge=0)
    visibility_timeout_s: float = Field(default=60.0, gt=0)
    shutdown_grace_s: float = Field(default=10.0, ge=0)
    # Re-queueing what Redis lost (a restart without its data): one elected process checks
    # every reconcile_interval_s (and at once when it finds a consumer group gone) for
    # pending tasks waiting longer than reconcile_grace_s with no queue message, and for
    # running tasks whose worker's liveness key (refreshed every worker_heartbeat_s,
    # expiring after three of them) is gone.
    reconcile_interval_s: float = Field(default=2.0, gt=0)
    reconcile_grace_s: float = Field(default=2.0, gt=0)
    worker_heartbeat_s: float = Field(default=2.0, gt=0)
    result_ttl_hours: float = Field(default=24.0, gt=0)
    sweep_interval_s: float = Field(default=60.0, gt=0)
    # The long tasks (tailoring, research with a model) take up to about two minutes; a
    # mutation called with `wait` should be able to return their result inline.
    max_wait_s: int = Field(default=120, ge=0)
    user_event_stream_maxlen: int = Field(default=1000, ge=10)

    # GraphQL limits. Each is checked before the standard validation rules, in time linear in
    # the document (fragments measured once, counts taken with their spreads expanded).
    max_query_depth: int = 12
    max_query_tokens: int = Field(default=1000, ge=1)
    max_aliases: int = 30
    max_query_chars: int = Field(default=50_000, ge=1)
    max_query_selections: int = Field(default=1000, ge=1)
    max_query_fragments: int = Field(default=50, ge=0)
    max_query_spreads: int = Field(default=200, ge=0)
    query_validation_budget_s: float = Field(default=0.5, gt=0)
    # Bodies are refused with 413 as they arrive: JSON bodies above this, multipart bodies
    # above MAX_UPLOAD_BYTES plus this (the operations and map fields ride along the file).
    max_request_bytes: int = Field(default=1024 * 1024, gt=0)

    # Auth.
    better_auth_enabled: bool = False
    # Confirmed API tokens are kept in memory this long at most (0: ask the database on
    # every request); revocations reach every process at once through PostgreSQL NOTIFY.
    auth_cache_ttl_s: float = Field(default=60.0, ge=0)

    # WebSockets. A socket that sent no connection_init within ws_init_timeout_s is closed
    # (4408), and so is one over a limit (4429). API-token revocations close sockets at once
    # (PostgreSQL NOTIFY); better-auth sessions fire nothing, so sockets authenticated by one
    # (and every socket while notifications are down) are re-checked every ws_auth_recheck_s.
    ws_init_timeout_s: float = Field(default=10.0, gt=0)
    ws_max_connections_per_user: int = Field(default=20, ge=1)
    ws_max_connections_per_address: int = Field(default=200, ge=1)
    ws_auth_recheck_s: float = Field(default=30.0, gt=0)

    # Per-user quotas (0: no limit).
    quota_upload_bytes_per_day: int = Field(default=500 * 1024 * 1024, ge=0)
    quota_stored_documents: int = Field(default=10_000, ge=0)
    quota_concurrent_renders: int = Field(default=2, ge=0)
    # A download's rendering is stopped (its process killed and replaced) after this long.
    render_timeout_s: float = Field(default=30.0, gt=0)

    # Uploads and documents.
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_pages: int = Field(default=50, gt=0)
    max_decompressed_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    max_compression_ratio: float = Field(default=100.0, gt=1)
    # Checked on a DOCX/ODT before its XML is parsed: a parse costs time and memory in
    # proportion to these (a resume is well under 1 MB and 20,000 elements).
    max_archive_entries: int = Field(default=1000, gt=0)
    max_xml_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    max_xml_elements: int = Field(default=200_000, gt=0)
    # rankResumes: the most resumes one ranking task scores (each costs a few ms of CPU).
    max_rank_resumes: int = Field(default=5000, gt=0)

    # CPU worker processes (parsing, scoring, rendering): each runs one call at a time
    # under a memory limit (0: none); a user holds at most all but one of a pool's.
    cpu_worker_processes: int = Field(default=2, ge=1)
    render_worker_processes: int = Field(default=2, ge=1)
    cpu_worker_memory_bytes: int = Field(default=1024 * 1024 * 1024, ge=0)

    # Fetching job pages.
    fetch_timeout_s: float = Field(default=30.0, gt=0)
    fetch_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    fetch_max_redirects: int = Field(default=5, ge=0)
    # Endpoints exempt from the address guard (for local or intranet job boards): "host"
    # allows http on 80 and https on 443 only, "host:8080" both schemes on that port,
    # "http://127.0.0.1:9000" exactly that. Other ports on the host stay refused.
    fetch_allowed_hosts: list[str] = Field(default_factory=list)
    # Fetches running at once in a process and per user; one over a cap waits up to
    # FETCH_TIMEOUT_S for a slot, then fails as rate limited (retried after that delay).
    fetch_max_concurrent: int = Field(default=8, ge=1)
    fetch_max_per_user: int = Field(default=2, ge=1)
    # A compressed page is refused once it decodes to more than this many times its size
    # (checked past its first MiB); FETCH_MAX_BYTES caps the decoded size regardless.
    fetch_max_compression_ratio: float = Field(default=100.0, gt=1)
    fetch_user_agent: str = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Safari/537.36 ATSPro/0.1"
    )
    circuit_failure_threshold: int = Field(default=5, ge=1)
    circuit_cooldown_s: float = Field(default=60.0, gt=0)
    research_fetch_enabled: bool = False

    # Language model (optional; offline engine when neither is set).
    openai_api_key: str = ""
    openai_base_url: str = ""
    openai_model: str = "gpt-4o-mini"
    llm_timeout_s: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=3, ge=0)

    @field_validator("cors_allow_origins")
    @classmethod
    def _normalize_origins(cls, origins: list[str]) -> list[str]:
        # Browsers send an Origin in one spelling and CORS compares it as a string, so
        # "https://App.example.com:443/" is stored as "https://app.example.com".
        return [origin if origin == "*" else _normalize_origin(origin) for origin in origins]

    @property
    def llm_enabled(self) -> bool:
        """A model is used when either the key or a base URL is configured."""
        return bool(self.openai_api_key or self.openai_base_url)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _normalize_origin(origin: str) -> str:
    """``origin`` as browsers send it (lower case, no default port); ValueError if not one."""
    parts = urlsplit(origin.strip())
    scheme = parts.scheme.lower()
    extra = parts.path not in ("", "/") or parts.query or parts.fragment or parts.username
    if scheme not in _DEFAULT_PORTS or not parts.hostname or extra:
        raise ValueError(f"{origin!r} is not an origin like 'https://app.example.com'")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"
