"""A circuit breaker: after a dependency fails, use the fallback for a while, then try it again.

While the dependency is healthy a call costs one attribute check more than calling it directly: no
extra round trip. Once a call fails, the next `retry_seconds` of calls go straight to the fallback,
so a dead Redis costs one failed connection per interval instead of one per call.
"""

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        errors: tuple[type[BaseException], ...],
        retry_seconds: float,
        on_recover: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.name = name
        self.errors = errors
        self.retry_seconds = retry_seconds
        self._on_recover = on_recover
        self._clock = clock
        self._retry_at = 0.0  # 0: closed, calls go to the dependency

    @property
    def tripped(self) -> bool:
        """Whether calls go to the fallback, from the first failure until the dependency answers again."""
        return bool(self._retry_at)

    def call(self, primary: Callable, fallback: Callable, /, *args, **kwargs):
        if self._retry_at and self._clock() < self._retry_at:
            return fallback(*args, **kwargs)
        try:
            result = primary(*args, **kwargs)
        except self.errors as exc:
            self._trip(exc)
            return fallback(*args, **kwargs)
        if self._retry_at:
            self._recover()
        return result

    def _trip(self, exc: BaseException) -> None:
        if not self._retry_at:
            logger.warning("%s is unreachable (%s); using the fallback", self.name, exc)
        self._retry_at = self._clock() + self.retry_seconds

    def _recover(self) -> None:
        self._retry_at = 0.0
        logger.warning("%s answers again", self.name)
        if self._on_recover is not None:
            self._on_recover()


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str, **options) -> CircuitBreaker:
    """One breaker per dependency and process, shared by threads (Django's caches are per thread)."""
    with _breakers_lock:
        if name not in _breakers:
            _breakers[name] = CircuitBreaker(name, **options)
        return _breakers[name]
