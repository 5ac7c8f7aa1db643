"""The OpenAPI document matches the URL map, and errors share one shape."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from forum.web.api.schemas import ERROR
from forum.web.api.spec import openapi_path
from forum.web.api.validation import validate

IGNORED = {"HEAD", "OPTIONS"}


def test_openapi_document_lists_every_api_rule_and_nothing_else(app: Flask, client: FlaskClient):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    documented = {
        (path, method.upper()) for path, item in document["paths"].items() for method in item
    }
    routed = {
        (openapi_path(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - IGNORED
    }
    assert routed == documented


def test_openapi_document_references_only_defined_schemas(client: FlaskClient):
    text = client.get("/api/v1/openapi.json").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    names = set(document["components"]["schemas"])
    import re

    assert set(re.findall(r"#/components/schemas/(\w+)", text)) <= names


def test_unknown_api_address_answers_json_404(client: FlaskClient):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert validate(ERROR, response.get_json()) == {}


def test_wrong_method_answers_json_405(client: FlaskClient):
    response = client.delete("/api/v1/categories")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_missing_post_answers_json_not_found_with_message(client: FlaskClient):
    body = client.get("/api/v1/posts/nope/replies").get_json()
    assert body["error"]["code"] == "not_found"
    assert "no post" in body["error"]["message"]


def test_rate_limited_write_answers_429_with_retry_after(app: Flask):
    from tests.conftest import database_for
    from tests.conftest import make_app
    from tests.factories import make_post

    limited = make_app(RATELIMIT_ENABLED=True, POST_RATE_LIMIT="1 per minute")
    with database_for(limited), limited.app_context():
        post = make_post()
        client = limited.test_client()
        body = {"body": "Hello", "name": "Ann", "email": "ann@example.org"}
        headers = {"Sec-Fetch-Site": "same-origin"}
        client.post(f"/api/v1/posts/{post.slug}/replies", json=body, headers=headers)
        response = client.post(f"/api/v1/posts/{post.slug}/replies", json=body, headers=headers)
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1


def test_nul_in_parameter_or_body_answers_400(app: Flask, client: FlaskClient):
    from tests.factories import make_post

    assert client.get("/api/v1/posts?category=a%00b").status_code == 400
    response = client.post(
        f"/api/v1/posts/{make_post().slug}/replies",
        json={"body": "a\x00b", "name": "A", "email": "a@b.c"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 400
    assert "body" in response.get_json()["error"]["fields"]
