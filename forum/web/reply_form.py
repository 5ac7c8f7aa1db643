"""Building the reply form for the current visitor."""

from __future__ import annotations

from forum.services.mail import subscriptions
from forum.web.actor import remembered_guest
from forum.web.actor import signed_in_user
from forum.web.forms import ReplyForm


def new_reply_form(parent_id: int | None = None) -> ReplyForm:
    """A blank form, pre-filled with the guest's remembered details if they asked for that."""
    form = ReplyForm(formdata=None)
    prepare(form)
    remembered = remembered_guest()
    if remembered and form.for_guest:
        form.name.data = remembered.get("name", "")
        form.email.data = remembered.get("email", "")
        form.url.data = remembered.get("url", "")
        form.remember.data = True
    if parent_id is not None:
        form.parent_id.data = str(parent_id)
    form.notify_replies.data = subscriptions.notify_replies_default(signed_in_user())
    return form


def prepare(form: ReplyForm) -> ReplyForm:
    """Guests must give name and email; account holders need not."""
    form.for_guest = signed_in_user() is None
    return form
