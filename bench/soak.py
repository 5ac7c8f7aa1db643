"""`make soak`: 60 s of 8 clients reading and posting through nginx to two gunicorn instances
on one PostgreSQL; halfway one instance is killed with SIGKILL, then restarted.

It checks what a site owner relies on: every reply the site acknowledged is stored exactly
once, no request hangs (every one answers or fails within the client timeout), and the only
failures are requests that were in flight on the killed instance when it died. Exit status 1
when any of that does not hold. Only 127.0.0.1 is ever contacted; every loop is bounded.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import requests
from sqlalchemy import create_engine
from sqlalchemy import text

from bench import cluster

PG_BASE = os.environ.get("PORCH_SOAK_PG_URL", "postgresql://postgres@127.0.0.1:5432/porch_bench")
REDIS_URL = os.environ.get("PORCH_SOAK_REDIS_URL", "redis://127.0.0.1:6379/13")
SECONDS = float(os.environ.get("PORCH_SOAK_SECONDS", "60"))
CLIENTS = 8
TIMEOUT = 15.0  # a request slower than this counts as hung
MAX_REQUESTS = 50_000  # per run, whatever the duration
DOWN_SECONDS = 3.0  # how long the killed instance stays down before its restart


@dataclass
class Call:
    kind: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer (connection error or timeout)
    error: str = ""
    reply_id: int | None = None
    body: str = ""


@dataclass
class Soak:
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    kill_at: float = 0.0
    gone_at: float = 0.0  # the killed instance's port refused connections from here on
    restarted_at: float = 0.0

    def take_turn(self) -> bool:
        with self.lock:
            self.sent += 1
            return self.sent <= MAX_REQUESTS


def _redis_settings() -> dict[str, str]:
    """Shared Redis as in production when one answers; without it each instance counts alone."""
    import redis

    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5) as client:
            client.ping()
    except redis.RedisError:
        return {}
    return {"REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"porch-soak-{uuid.uuid4().hex}"}


def _setup(logs: Path) -> tuple[dict[str, str], str]:
    url = cluster.fresh_pg_database(PG_BASE, "soak")
    env = cluster.porch_env(
        url,
        TRUSTED_PROXIES="1",
        POST_RATE_LIMIT="100000 per hour",
        JOBS_QUEUE_FILE=str(logs / "huey.sqlite3"),
        MAIL_DIR=str(logs / "mail"),
        PASSWORD="soak admin password",
        **_redis_settings(),
    )
    cluster.flask(env, "db", "upgrade")
    cluster.flask(env, "porch", "user", "create", "--email", "admin@example.org",
                  "--name", "Admin", "--role", "admin")  # fmt: skip
    (logs / "post.md").write_text("An article to talk about under load.")
    cluster.flask(
        env, "porch", "post", "create", "--title", "Soak", "--file", str(logs / "post.md")
    )
    script = (
        "from forum import create_app\nfrom tests.factories import set_rules\n"
        "with create_app().app_context():\n"
        "    set_rules(hold_first_time=False, flood_seconds=0, link_limit=0)\n"
    )
    done = subprocess.run(
        [cluster.PYTHON, "-c", script], cwd=cluster.ROOT, env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return env, url


def _client(number: int, base: str, soak: Soak, deadline: float) -> None:
    browser = requests.Session()
    token = ""
    n = 0
    while time.monotonic() < deadline and soak.take_turn():
        n += 1
        posting = bool(token) and n % 3 == 0
        started = time.monotonic()
        call = Call("post" if posting else "read", started, started, None)
        try:
            if posting:
                call.body = f"Soak reply {number}-{n} {uuid.uuid4().hex[:10]}"
                form = {"name": f"Client {number}", "email": f"c{number}@example.org"}
                form |= {"body": call.body, "csrf_token": token}
                answer = browser.post(
                    base + "/t/soak/replies", data=form, timeout=TIMEOUT,
                    headers={"Accept": "application/json"},
                )  # fmt: skip
                if answer.status_code == 201:
                    call.reply_id = int(answer.json()["id"])
            else:
                answer = browser.get(base + "/t/soak", timeout=TIMEOUT)
                if not token and answer.ok:  # cached pages carry none: fetch one, as porch.js does
                    fetched = browser.get(base + "/session/csrf", timeout=TIMEOUT)
                    token = fetched.json()["csrf_token"]
            call.status = answer.status_code
        except requests.RequestException as error:
            call.error = type(error).__name__
        call.ended = time.monotonic()
        with soak.lock:
            soak.calls.append(call)


def _refused_from(port: int, seconds: float = 10.0) -> float:
    """When the port first refused a connection (polled every millisecond, bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pass
        except OSError:
            return time.monotonic()
        time.sleep(0.001)
    raise RuntimeError(f"port {port} still took connections {seconds:.0f} s after the kill")


def _load(base: str, soak: Soak) -> None:
    deadline = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=_client, args=(n, base, soak, deadline), daemon=True)
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + TIMEOUT + 10)
    assert not any(thread.is_alive() for thread in threads), "a client did not finish"


def _verify(soak: Soak, url: str) -> list[str]:
    problems = []
    acknowledged = {c.reply_id: c.body for c in soak.calls if c.reply_id is not None}
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT id, body_source FROM reply")).all()
    engine.dispose()
    by_body: dict[str, list[int]] = {}
    for reply_id, body in stored:
        by_body.setdefault(body, []).append(reply_id)
    for reply_id, body in acknowledged.items():
        if by_body.get(body) != [reply_id]:
            problems.append(f"reply {reply_id} stored as {by_body.get(body)}")
    failed = [c for c in soak.calls if c.status is None or c.status >= 500]
    # In flight on the killed instance: still running when it was killed, or sent while it was
    # dying. Until its last process is gone the kernel still completes connections to its
    # port, and each is reset when that process goes.
    outside = [c for c in failed if not (c.started < soak.gone_at and c.ended >= soak.kill_at)]
    hung = [c for c in soak.calls if c.ended - c.started >= TIMEOUT or c.error == "ReadTimeout"]
    if outside:
        problems.append(f"{len(outside)} failures outside the kill: {outside[:3]}")
    if hung:
        problems.append(f"{len(hung)} requests hung (no answer within {TIMEOUT:.0f} s)")
    return problems


def _report(soak: Soak, problems: list[str], started: float) -> str:
    reads = sum(1 for c in soak.calls if c.kind == "read")
    posts = [c for c in soak.calls if c.kind == "post"]
    acked = sum(1 for c in posts if c.reply_id is not None)
    failed = [c for c in soak.calls if c.status is None or c.status >= 500]
    stored_wrong = any(p.startswith("reply ") for p in problems)
    lines = [
        f"Soak: {SECONDS:.0f} s, {CLIENTS} clients through nginx to two gunicorn instances on "
        "PostgreSQL; instance A killed (SIGKILL) at "
        f"{soak.kill_at - started:.1f} s, gone {1000 * (soak.gone_at - soak.kill_at):.0f} ms "
        f"later, restarted at {soak.restarted_at - started:.1f} s.",
        f"  {len(soak.calls)} requests: {reads} page reads, {len(posts)} posts "
        f"({acked} acknowledged, each stored exactly once: {'no' if stored_wrong else 'yes'}).",
        f"  {len(failed)} failed, all in flight on the killed instance: "
        f"{'yes' if not any('outside' in p for p in problems) else 'no'}; "
        f"slowest answer {max((c.ended - c.started for c in soak.calls), default=0):.2f} s.",
    ]
    lines += [f"  PROBLEM: {p}" for p in problems]
    for call in failed:
        lines.append(
            f"  failed {call.kind} from {call.started - started:.3f} s to "
            f"{call.ended - started:.3f} s: {call.status or call.error}"
        )
    return "\n".join(lines)


def _why(logs: Path) -> str:
    """What nginx said of its 502s (refused, reset, no live upstream), and any worker crash."""
    errors = (logs / "nginx" / "error.log").read_text(errors="replace").splitlines()
    lines = ["  nginx's error log:", *errors[-20:]]
    for log in sorted(logs.glob("*.log")):
        text = log.read_text(errors="replace")
        # faulthandler's stacks when they were written, else gunicorn's own line for the crash
        start = text.find("Fatal Python error")
        if start < 0:
            start = text.find("SIGSEGV")
        if start >= 0:
            start = text.rfind("\n", 0, start) + 1
            lines += [f"  {log.name}: a worker crashed", text[start : start + 4000]]
    return "\n".join(lines)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="porch-soak-") as name:
        logs = Path(name)
        env, url = _setup(logs)
        soak = Soak()
        with cluster.cluster() as running:
            a = running.add(cluster.gunicorn(env, logs, name="a", workers=2, threads=4))
            b = running.add(cluster.gunicorn(env, logs, name="b", workers=2, threads=4))
            proxy = running.add(cluster.nginx([a.port or 0, b.port or 0], logs))
            started = time.monotonic()
            load = threading.Thread(target=_load, args=(proxy.url, soak))
            load.start()
            time.sleep(SECONDS / 2)
            soak.kill_at = time.monotonic()
            a.kill()  # SIGKILL to the master and its workers: in-flight requests die with them
            a.popen.wait(10)
            soak.gone_at = _refused_from(a.port or 0)
            time.sleep(DOWN_SECONDS)
            restarted = cluster.gunicorn(env, logs, name="a-again", port=a.port, workers=2)
            running.add(restarted)
            soak.restarted_at = time.monotonic()
            load.join(SECONDS + TIMEOUT + 30)
        problems = _verify(soak, url)
        print(_report(soak, problems, started))
        if problems:
            print(_why(logs))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
