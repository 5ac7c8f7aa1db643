"""The rate limiter's counters in this process (no Redis): limits' MemoryStorage, swept less often.

The library starts a thread 10 ms after nearly every hit to sweep expired counters, and the
sweep walks every key: each guest's address adds two (per minute, per hour) for an hour, so
late in a busy hour the sweeps cost more CPU than a post (1.3 ms a post at 5,000 keys). Here
they run at most once a second. Limits are decided as before: reading a counter resets an
expired one itself; the sweep only frees memory.
"""

from __future__ import annotations

import time

from limits.storage import MemoryStorage

SCHEME = "porch-memory"
SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        self._next_sweep = 0.0
        super().__init__(uri, wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # the library's (name-mangled) hook
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_SECONDS
        super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]
