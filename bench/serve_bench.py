"""`make bench`: Porch under gunicorn against Isso and a bare Flask ceiling, in one run.

Seeds identical data, then measures with a real HTTP client on 127.0.0.1 (wrk for GETs when
installed, else bench/http_load.py; posting always with http_load): requests per second, p50,
p99 and peak memory per worker, on SQLite and PostgreSQL; prints the table and the targets'
ratios and writes them into bench/results.md. Isso runs from its own venv (`make bench`
creates it from PyPI) and is skipped, saying so, when that venv is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

import requests
from sqlalchemy import event

from bench import cluster
from bench import http_load
from bench.http_load import Outcome
from bench.http_load import Request
from bench.process_cpu import CpuMeter
from bench.process_cpu import children
from bench.serve_seed import PASSWORD
from bench.serve_seed import THREAD_SIZES
from bench.serve_seed import Seeded
from bench.serve_seed import isso_seed_script
from bench.serve_seed import seed

ROOT = cluster.ROOT
RESULTS = ROOT / "bench" / "results.md"
BEGIN, END = "<!-- serve-benchmark -->", "<!-- /serve-benchmark -->"
ISSO_VENV = Path(os.environ.get("PORCH_BENCH_ISSO_VENV", ROOT / ".bench-venv"))
PG_BASE = os.environ.get("PORCH_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/porch_bench")
SECONDS = float(os.environ.get("PORCH_BENCH_SECONDS", "8"))
CLIENTS = 8
WARM_UP_GUESTS = 1_000_000  # warm-up posts come from guests the measured run never uses
WORKERS = max(2, os.cpu_count() or 1)  # gunicorn.conf.py's own sizing, for every server here
THREADS = 4
REPLY_ANCHOR = re.compile(rb'<li class="reply[ "]')


@dataclass
class Row:
    label: str
    outcome: Outcome
    replies_per_response: int = 0
    peak_mib: float = 0.0
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per request, by whom (posting)

    @property
    def replies_per_second(self) -> float:
        return self.outcome.per_second * self.replies_per_response


@dataclass
class Round:
    database: str
    rows: dict[str, Row] = field(default_factory=dict)
    statements: dict[int, int] = field(default_factory=dict)
    ceiling: Row | None = None  # measured just before (a), so both see the same machine load
    isso_posting: Row | None = None  # the median of Isso's rows taken in turns with (c)


def peak_worker_mib(master: cluster.Process) -> float:
    """The largest peak resident size (VmHWM) among the gunicorn master's workers."""
    peaks = []
    for child in children(master.popen.pid):
        status = Path(f"/proc/{child}/status").read_text()
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks.append(int(found.group(1)) / 1024)
    return max(peaks, default=float("nan"))


def drained(previous: Outcome) -> None:
    """Let the server finish what the last run left queued, so it does not slow the next."""
    time.sleep(min(20.0, 0.5 + 2 * previous.p99 / 1000 if previous.requests else 5.0))


def get(
    base: str, path: str, headers: dict[str, str] | None = None, clients: int = CLIENTS
) -> Outcome:
    """A bounded GET run (after a short warm-up): wrk when installed, else the Python client."""
    headers = headers or {}
    warm = http_load.run(
        base, lambda n: Request("GET", path, headers), clients=2, count=4, seconds=5
    )
    drained(warm)
    via_wrk = http_load.run_wrk(base, path, headers, clients=clients, seconds=SECONDS)
    if via_wrk is not None and via_wrk.requests:
        return via_wrk
    if via_wrk is not None:  # each answer takes longer than the row (Isso's fetch under load)
        slow = lambda n: Request("GET", path, headers)  # noqa: E731
        return http_load.run(base, slow, clients=clients, seconds=60, count=2 * clients, timeout=60)
    return http_load.run(
        base, lambda n: Request("GET", path, headers), clients=clients, seconds=SECONDS
    )


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(base: str, email: str) -> str:
    """The Cookie header of a signed-in browser, as it stands after the page it was sent to.

    Following the redirect matters: the cookie the sign-in sets still carries the one-time
    "Signed in" message, and wrk sends the same cookie on every request, so every page would
    show that message again (and be re-rendered whole for it) as no member's page ever is."""
    browser = requests.Session()
    token = _csrf(browser.get(base + "/account/login", timeout=10).text)
    form = {"email": email, "password": PASSWORD, "csrf_token": token}
    answer = browser.post(base + "/account/login", data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 303, answer.text[:300]
    landed = browser.get(urljoin(base, answer.headers["Location"]), timeout=10)
    assert landed.status_code == 200, landed.text[:300]
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def script_fetch_headers(base: str) -> dict[str, str]:
    """What a browser adds to porch.js's POST of the reply form (every current one sends both
    on a fetch): the server checks the origin from them, as for Isso's rows (Origin, Referer)."""
    return {"Origin": base, "Sec-Fetch-Site": "same-origin"}


def guest_reply(n: int, token: str) -> tuple[dict[str, str], dict[str, str]]:
    """Guest n's reply form and headers: a new name, email and address each, so no rule
    refuses it as a flood or a duplicate, and the inline-reply script's JSON answer."""
    form = {
        "name": f"Guest {n}",
        "email": f"bench-guest-{n}@example.org",
        "body": f"Thank you for writing this, number {n}. Week {n % 9} was the hardest.",
        "csrf_token": token,
    }
    headers = {
        "Accept": "application/json",
        "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
    }
    return form, headers


def posting(base: str, slug: str, first_guest: int = 0, meter: CpuMeter | None = None) -> Outcome:
    """Guests posting (every rule and the spam score on), each from its own address; numbered
    from first_guest, so a later row's guests are new (the duplicate rule refuses a repeat)."""
    browser = requests.Session()
    browser.get(f"{base}/t/{slug}", timeout=10)  # a cached page: its forms fetch a token
    token = browser.get(f"{base}/session/csrf", timeout=10).json()["csrf_token"]
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())

    def make(n: int) -> Request:
        form, headers = guest_reply(first_guest + n, token)
        headers |= {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            **script_fetch_headers(base),
        }
        body = requests.models.RequestEncodingMixin._encode_params(form).encode()  # type: ignore[attr-defined]
        return Request("POST", f"/t/{slug}/replies", headers, body)

    return posting_run(base, make, meter)


def posting_run(
    base: str, make: Callable[[int], Request], meter: CpuMeter | None = None
) -> Outcome:
    """Guests posting, Porch's or Isso's alike. Each post comes on a connection of its own, as
    from a new browser: 8 kept-open connections split unevenly between the workers as often as
    not, leaving one idle and halving the rate by luck. A few unmeasured posts first (numbered
    apart) pay each worker's one-off costs, as the GET rows' warm-up does."""
    warm = http_load.run(
        base, lambda n: make(WARM_UP_GUESTS + n), clients=2, count=8, seconds=30, timeout=30
    )
    drained(warm)
    with meter or contextlib.nullcontext():
        return http_load.run(
            base, make, clients=CLIENTS, seconds=SECONDS, count=5_000, connection_per_request=True
        )


def count_statements(database_url: str, slugs: dict[int, str]) -> dict[int, int]:
    """SQL statements to render the first page of each thread size (in-process).

    The page cache is off: a cached copy costs one statement whatever the size, which would
    say nothing about the rendering.
    """
    from forum import create_app
    from forum.extensions import db

    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "PAGE_CACHE": "off",
        }
    )
    client = app.test_client()
    counts = {}
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    for size, slug in slugs.items():
        client.get(f"/t/{slug}")
        statements.clear()
        event.listen(engine, "before_cursor_execute", record)
        assert client.get(f"/t/{slug}").status_code == 200
        event.remove(engine, "before_cursor_execute", record)
        counts[size] = len(statements)
    engine.dispose()
    return counts


def measure_porch(
    database: str, url: str, logs: Path, isso: cluster.Process | None
) -> tuple[Round, bytes]:
    print(f"== Porch on {database}: seeding", flush=True)
    env = cluster.porch_env(
        url,
        TRUSTED_PROXIES="1",
        LOG_FORMAT="json",
        JOBS_QUEUE_FILE=str(logs / f"huey-{database}.sqlite3"),
        MAIL_DIR=str(logs / "mail"),
    )
    cluster.flask(env, "db", "upgrade")
    seeded: Seeded = seed(url)
    result = Round(database)
    with cluster.cluster() as running:
        porch = running.add(
            cluster.gunicorn(env, logs, name=f"porch-{database}", workers=WORKERS, threads=THREADS)
        )
        thread = f"/t/{seeded.slugs[1_000]}"
        page = requests.get(porch.url + thread, timeout=30).content
        replies = len(REPLY_ANCHOR.findall(page))
        # On a shared machine the load drifts: the ratios compare runs made side by side.
        result.ceiling = measure_ceiling(page, logs)
        member = {"Cookie": sign_in(porch.url, seeded.member_email)}
        moderator = {"Cookie": sign_in(porch.url, seeded.moderator_email)}
        database_here = database == "PostgreSQL"
        steps: tuple[Callable[[], Row], ...] = (
            lambda: Row("anonymous", get(porch.url, thread), replies),
            lambda: Row("signed_in", get(porch.url, thread, member), replies),
            # One moderator at a time: the queue's target is the time a page takes, not capacity.
            # Before posting, whose held replies would join the 10,000 pending.
            lambda: Row("queue", get(porch.url, "/mod/queue/pending", moderator, clients=1)),
            lambda: paired_posting(porch, seeded.posting_slug, isso, result, database_here),
        )
        for step in steps:
            row = step()
            drained(row.outcome)
            row.peak_mib = peak_worker_mib(porch)
            result.rows[row.label] = row
            print(f"   {row.label:10} {http_load.summary(row.outcome)}", flush=True)
    result.statements = count_statements(url, seeded.slugs)
    print(f"   SQL statements per page: {result.statements}", flush=True)
    return result, page


POSTING_TURNS = 3
GUESTS_PER_TURN = 2 * WARM_UP_GUESTS  # each turn's guests, warm-up ones too, are new


def paired_posting(
    porch: cluster.Process,
    slug: str,
    isso: cluster.Process | None,
    result: Round,
    database_server: bool,
) -> Row:
    """(c) on a shared machine: Porch's and Isso's posting rows taken in turns, three of each,
    and each side's row with the median p50 kept (Isso's alone moved from 130 to 240 posts a
    second between rows minutes apart). Isso's kept row goes into the round beside Porch's.
    Each row also notes the CPU each post cost, and whose it was (`database_server`: count
    PostgreSQL's processes too)."""
    ours: list[Row] = []
    theirs: list[Row] = []
    for turn in range(POSTING_TURNS):
        meter = CpuMeter(porch.popen.pid, database=database_server)
        outcome = posting(porch.url, slug, first_guest=turn * GUESTS_PER_TURN, meter=meter)
        ours.append(Row("posting", outcome, cpu_ms=meter.per_request(outcome.requests)))
        print(f"   {'posting':10} {http_load.summary(outcome)}{_cpu_note(ours[-1])}", flush=True)
        drained(outcome)
        if isso is not None:
            theirs.append(measure_isso_posting(isso))
    if theirs:
        result.isso_posting = sorted(theirs, key=lambda row: row.outcome.p50)[len(theirs) // 2]
    return sorted(ours, key=lambda row: row.outcome.p50)[len(ours) // 2]


def _cpu_note(row: Row) -> str:
    spent = ", ".join(f"{who} {ms:.1f}" for who, ms in row.cpu_ms.items())
    return f"  CPU ms per post: {spent}" if spent else ""


def measure_ceiling(page: bytes, logs: Path) -> Row:
    page_file = logs / "page.html"
    page_file.write_bytes(page)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BENCH_PAGE_FILE": str(page_file),
        "PORCH_LOG_FORMAT": "text",
    }
    with cluster.cluster() as running:
        flask = running.add(
            cluster.gunicorn(
                env,
                logs,
                name="ceiling",
                app="bench.ceiling_app:app",
                workers=WORKERS,
                threads=THREADS,
            )
        )
        row = Row("ceiling", get(flask.url, "/t/page"), len(REPLY_ANCHOR.findall(page)))
        row.peak_mib = peak_worker_mib(flask)
    print(f"== Bare Flask ceiling {http_load.summary(row.outcome)}", flush=True)
    return row


def _isso_settings(logs: Path, port: int) -> Path:
    settings = logs / "isso.cfg"
    settings.write_text(
        f"[general]\ndbpath = {logs / 'isso.db'}\nhost = http://127.0.0.1:{port}/\n"
        "[moderation]\nenabled = false\n[guard]\nenabled = false\n"
        f"[server]\nlisten = http://127.0.0.1:{port}/\n"
    )
    return settings


def start_isso(logs: Path, running: cluster.Cluster) -> cluster.Process | None:
    """Isso seeded with the same 1,000 comments, under gunicorn with the same settings; it
    stays up (idle) through both databases' rounds, so its posting is measured beside each."""
    python = ISSO_VENV / "bin" / "python"
    if not python.exists():
        print(f"== Isso skipped: no venv at {ISSO_VENV} (make bench creates it)", flush=True)
        return None
    port = cluster.free_port()
    settings = _isso_settings(logs, port)
    subprocess.run([str(python), "-c", isso_seed_script(), str(settings)], check=True, timeout=300)
    env = {
        **os.environ,
        "ISSO_SETTINGS": str(settings),
        "PORCH_LOG_FORMAT": "text",
        "PYTHONPATH": "",
    }
    env["PORCH_WORKERS"], env["PORCH_THREADS"] = str(WORKERS), str(THREADS)
    argv = [str(python), "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
    argv += ["--bind", f"127.0.0.1:{port}", "isso.run:application"]
    log = logs / "isso.log"
    isso = running.add(cluster.Process("isso", cluster._spawn("isso", argv, env, log), log, port))
    # Isso's own small page: under load the 1,000-comment fetch takes longer than a poll.
    cluster.wait_for(isso.url + "/config", isso)
    return isso


def measure_isso_fetch(isso: cluster.Process) -> Row:
    fetched = requests.get(isso.url + "/?uri=%2Fbench-thread", timeout=30).json()
    delivered = sum(1 + len(top.get("replies", [])) for top in fetched["replies"])
    row = Row("isso fetch", isso_fetch(isso.url), delivered)
    row.peak_mib = peak_worker_mib(isso)
    drained(row.outcome)
    print(f"== {row.label:12} {http_load.summary(row.outcome)}", flush=True)
    return row


def measure_isso_posting(isso: cluster.Process) -> Row:
    meter = CpuMeter(isso.popen.pid, database=False)  # Isso keeps its comments in SQLite
    outcome = isso_posting(isso.url, meter)
    row = Row("isso posting", outcome, cpu_ms=meter.per_request(outcome.requests))
    row.peak_mib = peak_worker_mib(isso)
    drained(row.outcome)
    print(f"   {'isso posts':10} {http_load.summary(row.outcome)}{_cpu_note(row)}", flush=True)
    return row


def isso_fetch(base: str) -> Outcome:
    """Isso renders all 1,000 comments per fetch (a second or more each here): a row bounded by
    count and a long time, so every answer counts (a wrk row shorter than one answer had none)."""
    fetch = lambda n: Request("GET", "/?uri=%2Fbench-thread", {})  # noqa: E731
    warm = http_load.run(base, fetch, clients=1, count=1, seconds=60, timeout=60)
    drained(warm)
    return http_load.run(base, fetch, clients=CLIENTS, seconds=90, count=3 * CLIENTS, timeout=60)


def isso_posting(base: str, meter: CpuMeter | None = None) -> Outcome:
    def make(n: int) -> Request:
        body = {
            "text": f"Thank you for writing this, number {n}. Week {n % 9} was the hardest.",
            "author": f"Guest {n}",
            "email": f"bench-guest-{n}@example.org",
        }
        headers = {"Content-Type": "application/json", "Origin": base, "Referer": base + "/"}
        return Request("POST", "/new?uri=%2Fbench-thread", headers, json.dumps(body).encode())

    return posting_run(base, make, meter)


def main() -> None:
    from bench.serve_report import render
    from bench.serve_report import write

    started = datetime.now(UTC)
    rounds = []
    with (
        tempfile.TemporaryDirectory(prefix="porch-serve-bench-") as name,
        cluster.cluster() as running,
    ):
        logs = Path(name)
        isso = start_isso(logs, running)
        isso_fetch = measure_isso_fetch(isso) if isso else None
        sqlite_url = f"sqlite:///{logs / 'bench.sqlite3'}"
        rounds.append(measure_porch("SQLite", sqlite_url, logs, isso)[0])
        try:
            pg_url = cluster.fresh_pg_database(PG_BASE, "serve")
        except Exception as error:  # noqa: BLE001  no PostgreSQL here: say so, keep SQLite
            print(f"== PostgreSQL skipped: {error}", flush=True)
        else:
            rounds.append(measure_porch("PostgreSQL", pg_url, logs, isso)[0])
    machine = (
        f"{platform.node() or 'this machine'}, {os.cpu_count()} cores, {platform.python_version()}"
    )
    minutes = (datetime.now(UTC) - started).total_seconds() / 60
    report = render(rounds, isso_fetch, machine=machine, when=started, minutes=minutes)
    print(report)
    write(RESULTS, BEGIN, END, report)
    print(f"Written to {RESULTS.relative_to(ROOT)} ({minutes:.1f} minutes)", file=sys.stderr)


if __name__ == "__main__":
    main()


__all__ = ["THREAD_SIZES", "main"]
