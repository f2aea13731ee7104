"""The Redis cache, standing in with a per-process memory cache while Redis is unreachable.

Everything that reads the cache (the anonymous page cache, DRF's throttles, allauth's rate limits,
Wagtail's site roots, the dashboards' figures) keeps working through an outage. The stand-in is a
local-memory cache per process, so limits keep counting, but per process: with N web processes a
client may get up to N times its budget until Redis is back, and the counts start from zero. What
is written meanwhile never reaches Redis; `recovered` tells whoever keeps derived data there.

While Redis answers, each call goes to it directly (see lms_site.circuit); after a failure, calls
go to memory for `retry_seconds`, then the next one tries Redis again.

    "OPTIONS": {"retry_seconds": 5, "fallback_max_entries": 10000, ...redis-py client options}
"""

import re
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from kombu.utils.url import maybe_sanitize_url
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .circuit import breaker_for

# Sent once per process when Redis answers again after this process used its memory instead.
recovered = Signal()

_KEY_SETTINGS = ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")


class FailoverRedisCache(BaseCache):
    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("retry_seconds", 5))
        # Small entries only (the page cache keeps no pages here, see `degraded`), so a bound this
        # large costs little and keeps rate-limit counters from being pushed out by a flood of keys.
        max_entries = int(options.pop("fallback_max_entries", 10_000))
        key_settings = {name: params[name] for name in _KEY_SETTINGS if name in params}
        self.primary = RedisCache(server, {**key_settings, "OPTIONS": options})
        self.fallback = LocMemCache(
            f"failover:{server}", {**key_settings, "OPTIONS": {"MAX_ENTRIES": max_entries}}
        )
        self._breaker = breaker_for(
            f"Redis cache at {_without_passwords(server)}",
            errors=(RedisConnectionError, RedisTimeoutError),
            retry_seconds=retry_seconds,
            on_recover=partial(recovered.send, sender=FailoverRedisCache),
        )

    @property
    def degraded(self) -> bool:
        """Whether calls go to this process's memory: what is stored now is seen by this process only."""
        return self._breaker.tripped

    def _call(self, method: str, *args):
        return self._breaker.call(getattr(self.primary, method), getattr(self.fallback, method), *args)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", list(keys), version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", list(keys), version)

    def clear(self):
        return self._call("clear")

    def close(self, **kwargs):
        self.primary.close(**kwargs)

    def count_hit(self, key, seconds: int, version=None) -> int:
        """`count_hit` in one round trip to Redis: INCR and EXPIRE in one pipeline."""
        return self._breaker.call(
            self._count_hit_on_redis, partial(count_hit, self.fallback), key, seconds, version
        )

    def _count_hit_on_redis(self, key, seconds: int, version=None) -> int:
        redis_key = self.primary.make_and_validate_key(key, version=version)
        pipeline = self.primary._cache.get_client(redis_key, write=True).pipeline(transaction=False)
        pipeline.incr(redis_key)
        pipeline.expire(redis_key, seconds)
        count, _expires = pipeline.execute()
        return count


def count_hit(cache, key, seconds: int, version=None) -> int:
    """Add one to the counter `key`, kept `seconds` after its last hit, and return the new count."""
    if isinstance(cache, FailoverRedisCache):
        return cache.count_hit(key, seconds, version)
    if cache.add(key, 1, seconds, version):
        return 1
    try:
        return cache.incr(key, 1, version)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, seconds, version)
        return 1


def _without_passwords(server) -> str:
    """The server list as logs may show it."""
    servers = re.split("[;,]", server) if isinstance(server, str) else server
    return ",".join(maybe_sanitize_url(url) for url in servers)
