"""CPU time per request, split by who spent it: the app's gunicorn workers, the database
server, and the load client. Read from /proc (Linux), user and system time together.

Posting is bound by CPU on a small machine, and its p50 under load follows the machine time
each post takes: this says where that time went, which a latency figure alone cannot.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pids: list[int]) -> float:
    """User plus system time of these processes (those gone since are skipped)."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / _TICKS


def children(pid: int) -> list[int]:
    """A process's children (a gunicorn master's workers); none if it is gone."""
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in listed.split()]


def _postgres_pids() -> list[int]:
    """Every PostgreSQL server process on the machine (its backends included)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _client_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


@dataclass
class CpuMeter:
    """Around one measured run: `with meter:`, then `per_request(n)` in milliseconds."""

    gunicorn_pid: int
    database: bool  # count the PostgreSQL server's processes too
    _start: dict[str, float] = field(default_factory=dict)
    _spent: dict[str, float] = field(default_factory=dict)

    def _now(self) -> dict[str, float]:
        now = {"workers": _cpu_seconds(children(self.gunicorn_pid))}
        if self.database:
            now["PostgreSQL"] = _cpu_seconds(_postgres_pids())
        now["client"] = _client_seconds()
        return now

    def __enter__(self) -> CpuMeter:
        self._start = self._now()
        return self

    def __exit__(self, *_: object) -> None:
        end = self._now()
        self._spent = {who: end[who] - self._start[who] for who in end}

    def per_request(self, requests: int) -> dict[str, float]:
        if not requests or not self._spent:
            return {}
        return {who: seconds * 1000 / requests for who, seconds in self._spent.items()}
