"""Where cached pages and reply fragments live: process memory, a directory, or Redis.

Values are bytes. Every backend forgets an entry after its timeout, and a broken backend
(Redis down, disk full) is a miss, never an error page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Sized
from pathlib import Path
from typing import Any
from typing import Generic
from typing import Protocol
from typing import TypeVar

from forum.config import ConfigurationError

log = logging.getLogger(__name__)
Value = TypeVar("Value", bound=Sized)


class Store(Protocol):
    def get_many(self, keys: list[str]) -> list[bytes | None]: ...

    def set(self, key: str, value: bytes, timeout: int) -> None: ...


class NoStore:
    """PORCH_PAGE_CACHE=off: every lookup misses."""

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        return [None] * len(keys)

    def set(self, key: str, value: bytes, timeout: int) -> None:
        return None


class MemoryStore(Generic[Value]):
    """Least recently used entries go first once their total size passes `max_bytes`.

    Values are bytes for the Store protocol; any sized value (its len() counted as its bytes)
    for callers keeping Python objects in this process.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[float, Value]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @property
    def held_bytes(self) -> int:
        return self._size

    def get_many(self, keys: list[str]) -> list[Value | None]:
        now = time.monotonic()
        found: list[Value | None] = []
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None and entry[0] > now:
                    self._entries.move_to_end(key)
                    found.append(entry[1])
                else:
                    found.append(None)
        return found

    def set(self, key: str, value: Value, timeout: int) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._size -= len(old[1]) if old else 0
            self._entries[key] = (time.monotonic() + timeout, value)
            self._size += len(value)
            while self._size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)


class FileStore:
    """One file per entry (expiry time, then the value); shared by every worker on the host."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.directory / hashlib.sha256(key.encode()).hexdigest()

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        return [self._get(key) for key in keys]

    def _get(self, key: str) -> bytes | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        if len(data) < 8 or struct.unpack(">d", data[:8])[0] < time.time():
            return None
        return data[8:]

    def set(self, key: str, value: bytes, timeout: int) -> None:
        try:
            handle, temporary = tempfile.mkstemp(dir=self.directory)
            with os.fdopen(handle, "wb") as file:
                file.write(struct.pack(">d", time.time() + timeout) + value)
            os.replace(temporary, self._path(key))  # readers see the old file or the new one
        except OSError as error:
            log.warning("page cache: could not write %s: %s", self.directory, error)


class RedisStore:
    """Shared by every instance; entries expire in Redis itself."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis: Any = redis.Redis.from_url(url, socket_timeout=0.5)

    def get_many(self, keys: list[str]) -> list[bytes | None]:
        if not keys:
            return []
        try:
            return list(self._redis.mget([_redis_key(key) for key in keys]))
        except Exception as error:  # noqa: BLE001  the page renders without the cache
            log.warning("page cache: Redis read failed: %s", error)
            return [None] * len(keys)

    def set(self, key: str, value: bytes, timeout: int) -> None:
        try:
            self._redis.set(_redis_key(key), value, ex=timeout)
        except Exception as error:  # noqa: BLE001
            log.warning("page cache: Redis write failed: %s", error)


def _redis_key(key: str) -> str:
    return "porch:cache:" + hashlib.sha256(key.encode()).hexdigest()


def backend_kind(config: Any) -> str:
    """PORCH_PAGE_CACHE, or by default Redis when there is one, else this process's memory."""
    return str(config["PAGE_CACHE"] or ("redis" if config["REDIS_URL"] else "memory"))


def page_memory_bytes(config: Any) -> int:
    """What each in-process page store may hold. PAGE_CACHE_MAX_BYTES is a worker's whole
    budget for pages; with the memory backend two stores share it, each half: Flask's (pages
    for visitors whose session holds only a token) and the front's copies as sent."""
    budget = int(config["PAGE_CACHE_MAX_BYTES"])
    return budget // 2 if backend_kind(config) == "memory" else budget


def make_store(config: Any, instance_path: str) -> Store:
    kind = backend_kind(config)
    if kind == "off":
        return NoStore()
    if kind == "redis":
        return RedisStore(config["REDIS_URL"])
    if kind == "filesystem":
        return FileStore(config["PAGE_CACHE_DIR"] or os.path.join(instance_path, "page-cache"))
    if kind == "memory":
        return MemoryStore[bytes](page_memory_bytes(config))
    raise ConfigurationError(f"PORCH_PAGE_CACHE is memory, filesystem, redis or off, not {kind!r}.")
