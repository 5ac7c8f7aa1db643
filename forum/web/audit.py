"""The audit log in the dashboard: read with filters, and undo from any entry."""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.errors import wants_json
from forum.i18n import _
from forum.i18n import ngettext
from forum.models import AuditAction
from forum.services.moderation.audit_log import audit_page
from forum.services.moderation.undo import undo as undo_entry
from forum.web.account_forms import ActionForm
from forum.web.audit_words import audit_changes
from forum.web.ids import parse_id
from forum.web.signin import safe_next
from forum.web.staff import current_moderator
from forum.web.staff import guard
from forum.web.threads import page_arg

bp = Blueprint("audit", __name__, url_prefix="/mod/audit")
guard(bp)


@bp.get("")
def index() -> ResponseReturnValue:
    raw_action, raw_target = request.args.get("action", ""), request.args.get("target", "")
    try:
        action = AuditAction(raw_action) if raw_action else None
    except ValueError:
        raise InvalidInput(
            {"action": [_("Unknown action “%(action)s”.", action=raw_action)]}
        ) from None
    log = audit_page(
        action=action,
        actor=request.args.get("actor") or None,
        target_id=parse_id(raw_target),
        page=page_arg(),
        per_page=50,
    )
    return render_template(
        "audit/index.html",
        log=log,
        changes={e.id: audit_changes(e.before, e.after) for e in log.entries},
        actions=list(AuditAction),
        form=ActionForm(formdata=None),
    )


@bp.post("/<int:entry_id>/undo")
def undo(entry_id: int) -> ResponseReturnValue:
    if not ActionForm().validate():
        raise InvalidInput({"form": [_("Your form expired; reload and try again.")]})
    entry = undo_entry(moderator=current_moderator(), entry_id=entry_id)
    message = ngettext(
        "Undone: %(num)d item put back.", "Undone: %(num)d items put back.", len(entry.target_ids)
    )
    if wants_json():
        return jsonify(message=message, entry_id=entry.id)
    flash(message, "success")
    return redirect(safe_next(request.form.get("next"), url_for("audit.index")), code=303)
