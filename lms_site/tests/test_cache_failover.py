"""The Redis cache and its stand-in: Redis while it answers, this process's memory while it does not."""

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from lms_site.cache import FailoverRedisCache, recovered

from .redis_and_celery import unreachable_redis_url
from .test_celery_worker import redis_url  # noqa: F401 - the test Redis, or a skip (a failure on CI)


def params(**options) -> dict:
    """A key prefix of its own, so nothing meets another test's keys in the shared test Redis."""
    return {"KEY_PREFIX": f"test-{uuid.uuid4().hex}", "OPTIONS": options}


@pytest.fixture
def announced():
    """Records the `recovered` signals sent during the test."""
    seen = []

    def record(sender, **kwargs):
        seen.append(sender)

    recovered.connect(record)
    yield seen
    recovered.disconnect(record)


def test_values_live_in_redis_while_it_answers(redis_url):  # noqa: F811
    settings = params()
    cache = FailoverRedisCache(redis_url, settings)

    cache.set("greeting", "hello")

    assert RedisCache(redis_url, settings).get("greeting") == "hello"
    assert cache.fallback.get("greeting") is None
    assert not cache.degraded
    cache.delete("greeting")


def test_an_unreachable_redis_is_stood_in_for_by_memory_in_every_operation():
    cache = FailoverRedisCache(unreachable_redis_url(), params())

    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"
    assert cache.degraded
    assert cache.add("greeting", "again") is False
    assert cache.get_or_set("figures", lambda: [1, 2]) == [1, 2]
    cache.set_many({"a": 1, "b": 2})
    assert cache.get_many(key for key in ("a", "b", "missing")) == {"a": 1, "b": 2}
    assert cache.incr("a", 5) == 6
    assert cache.decr("a") == 5
    assert cache.touch("a", 60) is True
    assert cache.has_key("b")
    cache.delete_many(key for key in ("a", "b"))
    assert cache.delete("greeting") is True
    assert cache.get_many(["a", "b", "greeting"]) == {}


def test_the_stand_in_is_one_per_process_whatever_thread_asks():
    # Django makes one cache object per thread: they must count together.
    location, settings = unreachable_redis_url(), params()
    one_thread, another = FailoverRedisCache(location, settings), FailoverRedisCache(location, settings)

    one_thread.get("warm-up")  # finds Redis unreachable
    one_thread.set("failed-logins", 3)

    assert another.degraded
    assert another.get("failed-logins") == 3


def test_redis_answering_again_takes_over_and_is_announced(redis_url, announced):  # noqa: F811
    settings = params()
    cache = FailoverRedisCache(unreachable_redis_url(), {**settings, "OPTIONS": {"retry_seconds": 0}})
    cache.set("during-the-outage", 1)
    # Redis is back at that address.
    cache.primary = RedisCache(redis_url, settings)

    cache.set("after-the-outage", 2)

    assert RedisCache(redis_url, settings).get("after-the-outage") == 2
    assert cache.get("during-the-outage") is None  # it never reached Redis
    assert not cache.degraded
    assert announced == [FailoverRedisCache]
    cache.delete("after-the-outage")


def test_hits_are_counted_in_redis_and_expire_with_their_window(redis_url):  # noqa: F811
    settings = params()
    cache = FailoverRedisCache(redis_url, settings)

    counts = [cache.count_hit("client", 60) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert RedisCache(redis_url, settings).get("client") == 3
    redis_key = cache.primary.make_and_validate_key("client")
    assert 0 < cache.primary._cache.get_client(redis_key).ttl(redis_key) <= 60
    assert cache.fallback.get("client") is None
    cache.delete("client")


def test_hits_are_counted_in_memory_while_redis_is_unreachable():
    cache = FailoverRedisCache(unreachable_redis_url(), params())

    assert [cache.count_hit("client", 60) for _ in range(3)] == [1, 2, 3]
    assert cache.degraded
