"""Every Redis key and channel ATSPro uses, in one place, under one prefix."""

from __future__ import annotations

from dataclasses import dataclass

from atspro.tasks.model import Priority


@dataclass(frozen=True, slots=True)
class RedisKeys:
    """Key names under ``prefix`` (``REDIS_QUEUE_PREFIX``, default ``atspro``)."""

    prefix: str = "atspro"

    def queue(self, priority: Priority) -> str:
        """The stream for one priority: ``atspro:queue:high|normal|low``."""
        return f"{self.prefix}:queue:{priority.label}"

    @property
    def group(self) -> str:
        """The consumer group every worker joins on each queue stream."""
        return f"{self.prefix}:workers"

    @property
    def dlq(self) -> str:
        """Dead-letter stream: tasks that exhausted their retries or failed for good."""
        return f"{self.prefix}:dlq"

    @property
    def delayed(self) -> str:
        """Sorted set of retries waiting for their backoff (score = due time, epoch seconds)."""
        return f"{self.prefix}:delayed"

    def user_events(self, user_id: str) -> str:
        """Bounded per-user stream of task events, for resuming subscriptions."""
        return f"{self.prefix}:events:{user_id}"

    def user_channel(self, user_id: str) -> str:
        """Pub/sub channel carrying the same events live."""
        return f"{self.prefix}:live:{user_id}"

    def worker_alive(self, consumer: str) -> str:
        """A worker process's liveness key, refreshed while it runs and expiring when it dies."""
        return f"{self.prefix}:worker:{consumer}"

    @property
    def reconciler_lock(self) -> str:
        """Held (with a TTL) by the one process that re-queues what Redis lost."""
        return f"{self.prefix}:reconciler"

    def upload_bytes(self, user_id: str, day: str) -> str:
        """Bytes ``user_id`` uploaded on ``day`` (UTC, ISO date): the daily upload quota."""
        return f"{self.prefix}:quota:upload:{user_id}:{day}"

    @property
    def cancel_channel(self) -> str:
        """Pub/sub channel telling every worker process to cancel a running task."""
        return f"{self.prefix}:cancel"
