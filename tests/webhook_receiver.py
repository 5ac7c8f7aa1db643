"""A real HTTP receiver on 127.0.0.1 that checks Porch's webhook signatures, for tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    event: str
    delivery: str
    payload: dict[str, Any]
    signature_ok: bool


@dataclass
class Receiver:
    """Answers with `codes` in turn (then 200); records what it got and whether it was signed."""

    server: ThreadingHTTPServer
    secret: str = ""
    codes: list[int] = field(default_factory=list)
    location: str = ""  # sent as Location with every answer when set (redirect tests)
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


def verified(secret: str, headers: Any, body: bytes) -> bool:
    """What a receiver does: HMAC of "<timestamp>.<body>" compared in constant time."""
    signed = headers["X-Porch-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("X-Porch-Signature", ""))


def serve() -> Iterator[Receiver]:
    holder: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            receiver = holder[0]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(
                Received(
                    event=self.headers["X-Porch-Event"],
                    delivery=self.headers["X-Porch-Delivery"],
                    payload=json.loads(body),
                    signature_ok=verified(receiver.secret, self.headers, body),
                )
            )
            code = receiver.codes.pop(0) if receiver.codes else 200
            answer = f"answer {code}".encode()
            self.send_response(code)
            self.send_header("Content-Length", str(len(answer)))
            if receiver.location:
                self.send_header("Location", receiver.location)
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(Receiver(server=server))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder[0]
    finally:
        server.shutdown()
        server.server_close()
