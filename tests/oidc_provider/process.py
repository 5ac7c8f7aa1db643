"""Run the test OpenID Connect provider as a subprocess, and act as its user's browser.

    provider = start_provider("porch", "porch-secret")
    provider.issuer                      # "http://127.0.0.1:PORT", serves discovery
    location = sign_in(authorize_url, "bob")  # Porch's callback URL with ?code=...&state=...
    provider.set_mode("wrong_nonce")     # later ID tokens are broken this way, until changed
    provider.stop()

Only the standard library is used for HTTP, so nothing here depends on Porch's own client.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.parse import urljoin

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 10.0


class ProviderError(RuntimeError):
    """The provider did not start, or answered with something other than what was expected."""


@dataclass
class RunningProvider:
    """A provider process and how to reach and steer it."""

    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen[bytes]
    log_dir: Path

    def set_mode(self, mode: str) -> None:
        """Make later ID tokens misbehave: see server.MODES ("normal" to stop)."""
        _request_json(f"{self.issuer}/_test/mode", {"id_token": mode})

    def mode(self) -> str:
        """The current ID token mode."""
        return str(_request_json(f"{self.issuer}/_test/mode")["id_token"])

    def reset(self) -> None:
        """Back to issuing correct ID tokens."""
        _request_json(f"{self.issuer}/_test/reset", {})

    def log(self) -> str:
        """What the provider process has printed so far (request log, tracebacks)."""
        log_file = self.log_dir / "provider.log"
        return log_file.read_text(errors="replace") if log_file.exists() else ""

    def stop(self) -> None:
        """Terminate the process and wait for it; safe to call more than once."""
        atexit.unregister(self.stop)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.log_dir, ignore_errors=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def down_issuer() -> str:
    """An issuer URL where no provider answers (connection refused)."""
    return f"http://127.0.0.1:{free_port()}"


def start_provider(
    client_id: str, client_secret: str, redirect_uris: tuple[str, ...] = ()
) -> RunningProvider:
    """Start a provider on a free port and return once its discovery document answers."""
    port = free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    command = [sys.executable, "-m", "tests.oidc_provider", "--port", str(port)]
    command += ["--client-id", client_id, "--client-secret", client_secret]
    for uri in redirect_uris:
        command += ["--redirect-uri", uri]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
    with open(log_dir / "provider.log", "wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    provider = RunningProvider(
        f"http://127.0.0.1:{port}", client_id, client_secret, process, log_dir
    )
    atexit.register(provider.stop)
    try:
        _wait_until_up(provider)
    except BaseException:
        provider.stop()
        raise
    return provider


def _wait_until_up(provider: RunningProvider) -> None:
    """Poll discovery until it answers, the process dies or START_TIMEOUT passes."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            raise ProviderError(f"provider exited early:\n{provider.log()}")
        try:
            _request_json(f"{provider.issuer}/.well-known/openid-configuration", timeout=1)
            return
        except (OSError, ProviderError):
            time.sleep(0.05)
    raise ProviderError(f"provider did not answer within {START_TIMEOUT} s:\n{provider.log()}")


def _request_json(url: str, body: dict[str, Any] | None = None, timeout: float = 5) -> Any:
    """GET (or POST a JSON body to) a URL and return the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            raise ProviderError(f"{url}: {error.code} {error.read().decode()}") from None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Leave redirects to the caller: they point back at the relying party."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_browser = urllib.request.build_opener(_NoRedirect)


class _FormParser(HTMLParser):
    """Collect a page's first form: its action and hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attributes.get("action") or ""
        elif tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.hidden[str(attributes["name"])] = attributes.get("value") or ""


def _open(request: urllib.request.Request) -> tuple[int, str, str]:
    """Send a request without following redirects: (status, Location, body)."""
    try:
        with _browser.open(request, timeout=5) as response:
            return response.status, "", response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location", ""), error.read().decode()


def sign_in(authorize_url: str, username: str = "alice", deny: bool = False) -> str:
    """Sign in at the provider as `username` (or deny) and return the redirect's Location."""
    status, location, page = _open(urllib.request.Request(authorize_url))
    if status in (301, 302, 303, 307, 308):
        return location  # the provider rejected the request back to the client
    if status != 200:
        raise ProviderError(f"GET {authorize_url}: {status} {page}")
    form = _FormParser()
    form.feed(page)
    fields = {**form.hidden, "username": username, "decision": "deny" if deny else "allow"}
    action = urljoin(authorize_url, form.action or "")
    status, location, page = _open(
        urllib.request.Request(action, data=urlencode(fields).encode(), method="POST")
    )
    if status not in (301, 302, 303, 307, 308):
        raise ProviderError(f"POST {action}: {status} {page}")
    return location
