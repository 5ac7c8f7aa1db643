"""HTTPS to a pinned address: the certificate is still checked against the URL's host name."""

from __future__ import annotations

import datetime
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask

from forum.security import outgoing
from tests.security.test_outgoing import _fake_dns

NAME = "hooks.example.com"


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for NAME only (not for 127.0.0.1)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_server(app: Flask, tmp_path: Path) -> Iterator[tuple[int, Path, list[str]]]:
    cert_file, key_file = _certificate(tmp_path)
    hosts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            hosts.append(self.headers["Host"])
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], cert_file, hosts
    finally:
        server.shutdown()
        server.server_close()


def test_https_goes_to_the_checked_address_and_verifies_the_name(
    monkeypatch: pytest.MonkeyPatch, tls_server: tuple[int, Path, list[str]]
) -> None:
    port, cert_file, hosts = tls_server
    asked = _fake_dns(monkeypatch, {NAME: ["127.0.0.1", "127.0.0.2"]})
    allow = outgoing.allowed_networks("127.0.0.1/32")
    response = outgoing.request(
        "POST", f"https://{NAME}:{port}/hook", allow=allow, data=b"{}", verify=str(cert_file)
    )
    assert response.status_code == 204
    assert asked == [NAME]
    assert hosts == [f"{NAME}:{port}"]


def test_https_to_a_name_the_certificate_does_not_cover_fails(
    monkeypatch: pytest.MonkeyPatch, tls_server: tuple[int, Path, list[str]]
) -> None:
    port, cert_file, hosts = tls_server
    _fake_dns(monkeypatch, {"other.example.com": ["127.0.0.1"]})
    allow = outgoing.allowed_networks("127.0.0.1/32")
    with pytest.raises(requests.exceptions.SSLError):
        outgoing.request(
            "POST",
            f"https://other.example.com:{port}/hook",
            allow=allow,
            data=b"{}",
            verify=str(cert_file),
        )
    assert hosts == []
