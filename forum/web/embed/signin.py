"""Signing in to the widget through a first-party window, and signing out of it.

The design (partitioned cookie, handoff code, CSRF) is explained in forum.web.embed.session.
"""

from __future__ import annotations

from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.extensions import limiter
from forum.i18n import _
from forum.web.actor import signed_in_user
from forum.web.caching.origin import tokenless_when_same_origin
from forum.web.embed import frame
from forum.web.embed import session
from forum.web.embed.blueprint import bp
from forum.web.embed.page import page_from
from forum.web.embed.page import thread_url
from forum.web.signin import end_session


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.get("/embed/signin")
def signin() -> ResponseReturnValue:
    """The popup: Porch's normal sign-in first, then hand the frame a code for its nonce."""
    nonce = request.args.get("nonce", "")
    user = signed_in_user()  # the first-party session only: this endpoint ignores the widget cookie
    if user is None:
        here = (
            url_for("embed.signin", nonce=nonce)
            if session.valid_nonce(nonce)
            else url_for("embed.signin")
        )
        return redirect(url_for("accounts.login", next=here))
    code = session.handoff_code(user, nonce) if session.valid_nonce(nonce) else None
    return render_template("embed/signed_in.html", user=user, code=code, nonce=nonce)


@bp.post("/embed/session")
@tokenless_when_same_origin  # the frame has no first-party session, so no Flask-WTF token
@limiter.limit(_login_limit)
def claim() -> ResponseReturnValue:
    """The frame trades the popup's code for the partitioned widget cookie."""
    user = session.redeem(request.form.get("code", ""), request.form.get("nonce", ""))
    if user is None:
        message = _("Signing in did not finish in time. Please try again.")
        return jsonify(error=message), 400
    response = jsonify(signed_in=True, name=user.display_name)
    session.start(response, user)
    return response


@bp.post("/embed/signout")
@tokenless_when_same_origin
def sign_out() -> ResponseReturnValue:
    """End the widget's session; a first-party session seen here (same-site host) ends too."""
    page = page_from(request.form, prefix="page_")
    token = frame.frame_token(request.form.get("frame"))
    if session.current() is None and signed_in_user() is not None:
        end_session()
    response = redirect(thread_url(page, token, notice="signed-out"), code=303)
    session.end(response)
    return response
