"""Embedded Redis and PostgreSQL: child processes under a local data directory.

Used when no ``REDIS_URL`` / ``DATABASE_URL`` is configured (``atspro serve``) and by the test
suite when no ``TEST_REDIS_URL`` / ``TEST_DATABASE_URL`` is set::

    async with embedded_services(settings.data_dir, redis=True, postgres=True) as urls:
        ...  # urls.redis_url, urls.database_url
"""

from atspro.embedded.binaries import find_postgres_bindir, find_redis_server
from atspro.embedded.errors import BinaryNotFound, EmbeddedServiceError
from atspro.embedded.postgres_server import EmbeddedPostgres
from atspro.embedded.redis_server import EmbeddedRedis
from atspro.embedded.services import EmbeddedUrls, embedded_services

__all__ = [
    "BinaryNotFound",
    "EmbeddedPostgres",
    "EmbeddedRedis",
    "EmbeddedServiceError",
    "EmbeddedUrls",
    "embedded_services",
    "find_postgres_bindir",
    "find_redis_server",
]
