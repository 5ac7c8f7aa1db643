"""Signing in through an OpenID Connect provider's own page, then replying as that person."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.factories import make_post
from tests.oidc_provider.process import RunningProvider
from tests.oidc_provider.process import start_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    running = start_provider("porch-browser", "porch-browser-secret")
    yield running
    running.stop()


@pytest.fixture
def live_app_settings(provider: RunningProvider) -> dict[str, Any]:
    provider.reset()
    return {
        "OAUTH_TESTIDP_CLIENT_ID": provider.client_id,
        "OAUTH_TESTIDP_CLIENT_SECRET": provider.client_secret,
        "OAUTH_TESTIDP_ISSUER": provider.issuer,
        "OAUTH_TESTIDP_LABEL": "Test IdP",
    }


def test_sign_in_with_provider_then_reply_as_that_person(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        slug = make_post(title="Part three").slug
    page.goto(f"/t/{slug}")
    page.get_by_role("button", name="Sign in with Test IdP").first.click()
    # Now on the provider's own page, on another port.
    page.get_by_label("Username").select_option("alice")
    page.get_by_role("button", name="Sign in and allow").click()

    expect(page).to_have_url(f"{page.url.split('/t/')[0]}/t/{slug}#reply-form")
    form = page.locator("#reply-form")
    expect(page.locator(".commenting-as")).to_contain_text(
        "You are commenting as Alice Example via Test IdP"
    )
    expect(form.get_by_label("Name", exact=True)).to_have_count(0)  # not asked of members
    form.get_by_label("Reply", exact=True).fill("Signed in and replying.")
    form.get_by_role("button", name="Post reply").click()
    reply = page.locator("[data-top-replies] > li.reply", has_text="Signed in and replying.")
    expect(reply.locator(".reply__author")).to_have_text("Alice Example")

    page.get_by_role("button", name="Log out").first.click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator(".commenting-as")).to_have_count(0)


def test_local_account_sign_up_and_sign_in(live_app: Flask, page: Page) -> None:
    page.goto("/account/signup")
    page.get_by_label("Name shown with your replies").fill("Robin")
    page.get_by_label("Email", exact=True).fill("robin@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="Robin")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email", exact=True).fill("robin@example.org")
    page.get_by_label("Password", exact=True).fill("wrong password!")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("That email and password do not match an account.")).to_be_visible()
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("link", name="Robin")).to_be_visible()
