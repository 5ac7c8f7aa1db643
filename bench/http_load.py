"""A bounded HTTP load generator: N threads with keep-alive connections to 127.0.0.1.

Every run stops at whichever comes first, `seconds` or `count` requests, so no loop is open
ended. `wrk` (Debian package) is used for plain GETs when it is installed: a C client leaves
more of the machine's two cores to the server being measured.
"""

from __future__ import annotations

import http.client
import itertools
import re
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass
class Outcome:
    """What a run measured: latencies of answered requests, statuses, errors."""

    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, answered requests only
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    client: str = "python"
    bodies: list[bytes] = field(default_factory=list)  # the first few bodies, for checks
    reported: tuple[int, float, float] | None = None  # wrk's own (requests, p50, p99 seconds)

    @property
    def requests(self) -> int:
        return self.reported[0] if self.reported else len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Milliseconds."""
        if self.reported:
            return (self.reported[1] if p <= 50 else self.reported[2]) * 1000
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p99(self) -> float:
        return self.percentile(99)


def _check_target(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    if parts.hostname not in LOOPBACK:
        raise ValueError(f"load is only ever sent to 127.0.0.1, not {parts.hostname}")
    return "127.0.0.1", int(parts.port or 80)


def run(
    base: str,
    make: Callable[[int], Request],
    *,
    clients: int = 8,
    seconds: float = 8.0,
    count: int = 100_000,
    timeout: float = 10.0,
    connection_per_request: bool = False,
) -> Outcome:
    """Send make(0), make(1)... from `clients` threads until `seconds` pass or `count` are sent.

    Each client keeps its connection open, unless `connection_per_request`: then each request
    comes on a connection of its own, as from a new browser each time."""
    host, port = _check_target(base)
    numbers = itertools.count()
    lock = threading.Lock()
    outcome = Outcome(seconds=seconds)
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        while time.monotonic() < deadline:
            with lock:
                n = next(numbers)
            if n >= count:
                break
            request = make(n)
            started = time.perf_counter()
            try:
                connection.request(request.method, request.path, request.body, request.headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    outcome.errors += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
                continue
            elapsed = time.perf_counter() - started
            if connection_per_request:
                connection.close()
            with lock:
                outcome.latencies.append(elapsed)
                outcome.statuses[response.status] = outcome.statuses.get(response.status, 0) + 1
                if len(outcome.bodies) < 3:
                    outcome.bodies.append(body)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    outcome.seconds = time.monotonic() - started
    return outcome


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _duration(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def run_wrk(
    base: str, path: str, headers: dict[str, str], *, clients: int = 8, seconds: float = 8.0
) -> Outcome | None:
    """The same GET through wrk (bounded by -d); None when wrk is not installed."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    _check_target(base)
    argv = [wrk, "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{int(seconds)}s"]
    argv += ["--timeout", "30s"]
    argv.append("--latency")
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*argv, base + path], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    text = done.stdout
    total = int(re.search(r"(\d+) requests in", text).group(1))  # type: ignore[union-attr]
    elapsed = _duration(re.search(r"requests in ([\d.]+\w+),", text).group(1))  # type: ignore[union-attr]
    p50 = _duration(re.search(r"50%\s+([\d.]+\w+)", text).group(1))  # type: ignore[union-attr]
    p99 = _duration(re.search(r"99%\s+([\d.]+\w+)", text).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    outcome = Outcome(seconds=elapsed, client="wrk", reported=(total, p50, p99))
    failed = int(errors.group(1)) if errors else 0
    outcome.statuses = {200: total - failed, 0: failed} if failed else {200: total}
    if socket_errors:
        outcome.errors = sum(int(n) for n in socket_errors.groups())
    return outcome


def summary(outcome: Outcome) -> str:
    return (
        f"{outcome.per_second:8.1f} req/s  p50 {outcome.p50:7.1f} ms  p99 {outcome.p99:7.1f} ms"
        f"  ({outcome.requests} answered, {outcome.errors} errors, {outcome.client})"
    )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
