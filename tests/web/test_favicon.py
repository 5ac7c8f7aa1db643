"""Every page names an icon, and /favicon.ico (which browsers ask for anyway) serves one."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.factories import make_post


def test_favicon_is_served_and_linked_from_every_page(client: FlaskClient) -> None:
    with client.get("/favicon.ico") as icon:  # a file response: close it
        assert icon.status_code == 200
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file header
        assert icon.mimetype in {"image/vnd.microsoft.icon", "image/x-icon"}
    post = make_post()
    for url in ("/", f"/t/{post.slug}", "/no-such-page"):
        html = client.get(url).text
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
        assert '<link rel="icon" href="/favicon.ico"' in html
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
