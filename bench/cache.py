"""What the Redis failover costs while Redis answers: the same calls through Django's RedisCache and
through lms_site.cache.FailoverRedisCache, in alternating rounds, in microseconds per call.

    REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python -m bench.cache --calls 20000 --rounds 7

Both talk to the same Redis with the same options; the failover adds the breaker's check and one
more Python call per operation, no round trip. The last two lines time that added work alone: the
failover over an in-memory cache standing where Redis would be, against that cache itself. Medians
over the rounds, since the machine is shared: compare within one run.
"""

import argparse
import os
import statistics
import sys
import time

from django.conf import settings

OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
KEY = "bench-failover"


def _microseconds_per_call(operation, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        operation()
    return (time.perf_counter() - started) / calls * 1e6


def _median_of_rounds(operations: dict, *, calls: int, rounds: int) -> dict[str, float]:
    """Each operation timed once per round, the operations alternating, so drift hits them alike."""
    timings = {name: [] for name in operations}
    for _ in range(rounds):
        for name, operation in operations.items():
            timings[name].append(_microseconds_per_call(operation, calls))
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    settings.configure()
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    from lms_site.cache import FailoverRedisCache

    url = os.environ["REDIS_URL"]
    plain = RedisCache(url, {"KEY_PREFIX": "bench", "OPTIONS": OPTIONS})
    failover = FailoverRedisCache(url, {"KEY_PREFIX": "bench", "OPTIONS": OPTIONS})
    in_memory = LocMemCache("bench", {})
    over_memory = FailoverRedisCache(url, {"OPTIONS": OPTIONS})
    over_memory.primary = in_memory
    plain.set(KEY, 1, 60)
    median = _median_of_rounds(
        {
            "get, RedisCache": lambda: plain.get(KEY),
            "get, FailoverRedisCache": lambda: failover.get(KEY),
            "set, RedisCache": lambda: plain.set(KEY, 1, 60),
            "set, FailoverRedisCache": lambda: failover.set(KEY, 1, 60),
            "get, LocMemCache": lambda: in_memory.get(KEY),
            "get, failover over it": lambda: over_memory.get(KEY),
        },
        calls=args.calls,
        rounds=args.rounds,
    )
    plain.delete(KEY)
    for name, microseconds in median.items():
        sys.stdout.write(f"{name:<26}{microseconds:>10.2f} µs\n")


if __name__ == "__main__":
    main()
