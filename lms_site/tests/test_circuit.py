"""The circuit breaker behind the Redis fallbacks, on a clock the test moves."""

import pytest

from lms_site.circuit import CircuitBreaker

RETRY_SECONDS = 5


class Down(Exception):
    pass


class Dependency:
    """Answers, or raises Down while `down`; counts the calls that reached it."""

    def __init__(self):
        self.down = False
        self.calls = 0

    def __call__(self, value):
        self.calls += 1
        if self.down:
            raise Down("connection refused")
        return f"primary {value}"


def fallback(value):
    return f"fallback {value}"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def recoveries():
    return []


@pytest.fixture
def breaker(clock, recoveries):
    return CircuitBreaker(
        "test dependency",
        errors=(Down,),
        retry_seconds=RETRY_SECONDS,
        on_recover=lambda: recoveries.append(True),
        clock=clock,
    )


def test_calls_reach_a_healthy_dependency(breaker):
    dependency = Dependency()

    assert breaker.call(dependency, fallback, 1) == "primary 1"
    assert breaker.call(dependency, fallback, 2) == "primary 2"
    assert dependency.calls == 2
    assert not breaker.tripped


def test_a_failure_is_answered_by_the_fallback_and_trips_the_breaker(breaker):
    dependency = Dependency()
    dependency.down = True

    assert breaker.call(dependency, fallback, 1) == "fallback 1"
    assert breaker.tripped


def test_a_tripped_breaker_leaves_the_dependency_alone_until_the_retry_interval_passed(breaker, clock):
    dependency = Dependency()
    dependency.down = True
    breaker.call(dependency, fallback, 1)

    clock.advance(RETRY_SECONDS - 0.1)
    assert breaker.call(dependency, fallback, 2) == "fallback 2"
    assert dependency.calls == 1

    clock.advance(0.1)
    assert breaker.call(dependency, fallback, 3) == "fallback 3"
    assert dependency.calls == 2  # tried again, still down: another interval starts
    assert breaker.tripped


def test_the_dependency_answering_again_closes_the_breaker_and_is_announced_once(breaker, clock, recoveries):
    dependency = Dependency()
    dependency.down = True
    breaker.call(dependency, fallback, 1)
    dependency.down = False
    clock.advance(RETRY_SECONDS)

    assert breaker.call(dependency, fallback, 2) == "primary 2"
    assert breaker.call(dependency, fallback, 3) == "primary 3"
    assert not breaker.tripped
    assert recoveries == [True]


def test_other_errors_are_not_outages(breaker):
    def broken(value):
        raise ValueError("a bug, not an outage")

    with pytest.raises(ValueError, match="a bug"):
        breaker.call(broken, fallback, 1)
    assert not breaker.tripped
