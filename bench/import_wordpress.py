"""WordPress import speed and memory: `make bench-import` prints comments per second and memory.

Each run imports a generated WXR file through the real command, `porch import wordpress`, in its
own process, so the peak resident memory and the CPU time measured are the importer's alone
(user + system CPU time is what "per second on one core" means on a shared, busy machine; the
wall time is printed beside it, and alone includes the PostgreSQL server's work). Sizes of
10,000 and 100,000 comments show whether memory stays flat as the file grows (it must: the
file is streamed).
PostgreSQL is measured too when PORCH_BENCH_PG_URL (default: the local test server) answers.
The table is printed and written into bench/results.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bench.wxr_file import write_wxr

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
SIZES = ((10_000, 100), (100_000, 1_000))  # (comments, posts): the same comments per post
PG_URL = os.environ.get("PORCH_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/porch_bench")
BEGIN, END = "<!-- import-benchmark -->", "<!-- /import-benchmark -->"


@dataclass(frozen=True)
class Result:
    database: str
    comments: int
    seconds: float
    cpu_seconds: float
    peak_mib: float

    @property
    def per_second(self) -> float:
        return self.comments / self.seconds

    @property
    def per_cpu_second(self) -> float:
        return self.comments / self.cpu_seconds


def _flask(database_url: str, *args: str) -> tuple[float, float, float]:
    """Run one `flask --app wsgi` command: its wall and CPU seconds and peak memory in MiB."""
    env = {**os.environ, "PORCH_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        assert process.stderr is not None
        raise SystemExit(f"{' '.join(args)} failed:\n{process.stderr.read().decode()[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def _fresh_postgres() -> str | None:
    admin_url, _, name = PG_URL.rpartition("/")
    try:
        engine = create_engine(f"{admin_url}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    except OperationalError:
        return None
    return PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)


def _measure(database: str, url: str, source: Path, comments: int) -> Result:
    _flask(url, "db", "upgrade")
    seconds, cpu, peak = _flask(url, "porch", "import", "wordpress", str(source))
    return Result(database, comments, seconds, cpu, peak)


def _database_urls(folder: Path, comments: int) -> list[tuple[str, str]]:
    urls = [("SQLite", f"sqlite:///{folder / f'bench-{comments}.sqlite3'}")]
    if (pg := _fresh_postgres()) is not None:
        urls.append(("PostgreSQL", pg))
    return urls


def _table(results: list[Result]) -> str:
    lines = [
        "| database | comments | CPU s | comments/s (one core) | wall s | comments/s (wall) "
        "| peak memory (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        row = f"| {r.database} | {r.comments:,} | {r.cpu_seconds:.1f} | {r.per_cpu_second:,.0f} "
        row += f"| {r.seconds:.1f} | {r.per_second:,.0f} "
        lines.append(row + f"| {r.peak_mib:.0f} |")
    for database in sorted({r.database for r in results}):
        small, large = (r for r in results if r.database == database)
        ratio = large.peak_mib / small.peak_mib
        lines.append(f"\n{database}: peak memory 100k / 10k = {ratio:.2f}")
    return "\n".join(lines)


def _keep(table: str) -> None:
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    load = os.getloadavg()[0]
    section = (
        f"{BEGIN}\nMeasured {stamp} on this project's 2-core machine "
        f"(load average {load:.1f} at the end):\n\n{table}\n{END}"
    )
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if BEGIN in current:
        head, _, rest = current.partition(BEGIN)
        current = head + section + rest.partition(END)[2]
    else:
        current = current.rstrip() + "\n\n## WordPress import\n\n" + section + "\n"
    RESULTS.write_text(current)


def main() -> None:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for comments, posts in SIZES:
            source = folder / f"export-{comments}.xml"
            write_wxr(source, posts=posts, comments=comments)
            for database, url in _database_urls(folder, comments):
                result = _measure(database, url, source, comments)
                print(
                    f"{database:10} {comments:>7,} comments: {result.per_cpu_second:,.0f}/s "
                    f"of CPU, {result.per_second:,.0f}/s wall, peak {result.peak_mib:.0f} MiB",
                    flush=True,
                )
                results.append(result)
    table = _table(results)
    print(table)
    _keep(table)


if __name__ == "__main__":
    main()
