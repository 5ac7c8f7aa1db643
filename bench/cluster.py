"""Start and stop Porch's real processes on 127.0.0.1: gunicorn instances, workers and nginx.

Used by the two-instance test (tests/deploy), the serving benchmark and the soak. Every process
runs in its own session, so stopping it (and anything it started) never touches anyone else's.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(Path(sys.executable))
NGINX = next((p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if os.path.exists(p)), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def porch_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a production-like Porch process (settings are PORCH_* without prefix)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORCH_")}
    env.update(
        PYTHONPATH=str(ROOT),
        PORCH_ENV="development",
        PORCH_SECRET_KEY="cluster-secret-shared-by-every-instance",
        PORCH_DATABASE_URL=database_url,
        PORCH_LOG_FORMAT="json",
    )
    env.update({f"PORCH_{name}": value for name, value in settings.items()})
    return env


def flask(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """Run `flask --app wsgi ARGS` and return its output; raise with it on failure."""
    done = subprocess.run(
        [PYTHON, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Process:
    """One started process, its log file, and how to stop it."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the process's whole session (gunicorn's workers die with their master)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 15) -> None:
        if self.popen.poll() is None:
            self.kill(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill(signal.SIGKILL)
                self.popen.wait(timeout)
        self.kill(signal.SIGKILL)  # anything the process left in its session

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _spawn(name: str, argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_for(url: str, process: Process, seconds: float = 60) -> None:
    """Until url answers 200, or fail with the process's log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited:\n{process.log_text()[-3000:]}")
        with contextlib.suppress(OSError, urllib.error.URLError):
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not answer {url}:\n{process.log_text()[-3000:]}")


def gunicorn(
    env: dict[str, str],
    logs: Path,
    *,
    name: str = "porch",
    port: int | None = None,
    app: str = "wsgi:app",
    workers: int = 2,
    threads: int = 4,
) -> Process:
    """gunicorn with Porch's gunicorn.conf.py on 127.0.0.1:port, waited for until it answers."""
    port = port or free_port()
    env = {**env, "PORCH_WORKERS": str(workers), "PORCH_THREADS": str(threads)}
    argv = [PYTHON, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
    argv += ["--bind", f"127.0.0.1:{port}", app]
    log = logs / f"{name}.log"
    process = Process(name, _spawn(name, argv, env, log), log, port)
    wait_for(process.url + "/healthz", process)
    return process


def worker(env: dict[str, str], logs: Path, name: str = "worker") -> Process:
    log = logs / f"{name}.log"
    argv = [PYTHON, "-m", "flask", "--app", "wsgi", "porch", "worker"]
    return Process(name, _spawn(name, argv, env, log), log)


def render_nginx(upstreams: list[int], listen: int, prefix: Path) -> Path:
    """deploy/nginx.conf with this run's ports and paths: the shipped recipe, nothing else."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in upstreams
    )
    conf = re.sub(r"(        server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, conf)  # each upstream
    temp = "".join(
        f"    {kind}_temp_path {prefix / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{listen};",
        "alias /srv/porch/static/;": f"alias {ROOT / 'static'}/;",
        "pid /run/nginx.pid;": f"pid {prefix / 'nginx.pid'};",
        "/var/log/nginx/": f"{prefix}/",
        "http {\n": "http {\n" + temp,
    }
    for old, new in replacements.items():
        assert old in conf, f"deploy/nginx.conf no longer has {old!r}"
        conf = conf.replace(old, new)
    if os.geteuid() == 0:  # nginx would otherwise drop its workers to `nobody`
        conf = "user root;\n" + conf
    path = prefix / "nginx.conf"
    path.write_text(conf)
    return path


def nginx(upstreams: list[int], logs: Path) -> Process:
    assert NGINX is not None, "nginx is not installed"
    prefix = logs / "nginx"
    prefix.mkdir(exist_ok=True)
    port = free_port()
    conf = render_nginx(upstreams, port, prefix)
    argv = [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    log = logs / "nginx.log"
    process = Process("nginx", _spawn("nginx", argv, dict(os.environ), log), log, port)
    wait_for(process.url + "/healthz", process)
    return process


@dataclass
class Cluster:
    """Processes started together and stopped together, whatever happens in between."""

    processes: list[Process] = field(default_factory=list)

    def add(self, process: Process) -> Process:
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    running = Cluster()
    try:
        yield running
    finally:
        running.stop()


def fresh_pg_database(base_url: str, suffix: str) -> str:
    """Drop and create `<base database>_<suffix>` beside base_url's; return its URL."""
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(base_url)
    name = f"{info.pop('dbname')}_{suffix}"
    with psycopg.connect(**info, dbname="postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return base_url.rsplit("/", 1)[0] + "/" + name
