"""The moderator dashboard: queue tabs, bulk actions, one item in detail, edits and replies."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.errors import wants_json
from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.moderation import actions
from forum.services.moderation import branches
from forum.services.moderation import queue as queues
from forum.services.moderation.keep import keep
from forum.services.moderation.queue import QueueFilters
from forum.services.moderation.queue import Tab
from forum.services.search import Scope
from forum.web.actor import current_actor
from forum.web.audit_words import audit_action_name
from forum.web.audit_words import audit_reason
from forum.web.audit_words import audit_target_name
from forum.web.forms import value
from forum.web.ids import parse_id
from forum.web.moderation_forms import ActOnRepliesForm
from forum.web.moderation_forms import BanForm
from forum.web.moderation_forms import BranchForm
from forum.web.moderation_forms import EditReplyForm
from forum.web.moderation_forms import GroupForm
from forum.web.moderation_forms import ModeratorReplyForm
from forum.web.moderation_presenters import branch_message
from forum.web.moderation_presenters import decision_summary
from forum.web.moderation_presenters import flag_reason_label
from forum.web.moderation_presenters import group_message
from forum.web.moderation_presenters import record_counts
from forum.web.moderation_presenters import rule_name
from forum.web.moderation_presenters import status_name
from forum.web.moderation_presenters import tab_label
from forum.web.moderation_presenters import trace_detail
from forum.web.moderation_presenters import verdict_name
from forum.web.search import render_results
from forum.web.signin import safe_next
from forum.web.staff import current_moderator
from forum.web.staff import guard
from forum.web.threads import page_arg

bp = Blueprint("moderation", __name__, url_prefix="/mod")
guard(bp)
bp.add_app_template_global(decision_summary, "decision_summary")
bp.add_app_template_global(trace_detail, "trace_detail")
bp.add_app_template_global(record_counts, "record_counts")
bp.add_app_template_global(rule_name, "rule_name")
bp.add_app_template_global(verdict_name, "verdict_name")
bp.add_app_template_global(tab_label, "tab_label")
bp.add_app_template_global(audit_action_name, "audit_action_name")
bp.add_app_template_global(audit_reason, "audit_reason")
bp.add_app_template_global(audit_target_name, "audit_target_name")
bp.add_app_template_global(status_name, "status_name")
bp.add_app_template_global(flag_reason_label, "flag_reason_label")
PER_PAGE = 50
LAST_ACTION_KEY = "last_moderation"  # shown with an Undo button on the next page
UNDO_SECONDS = 60  # moderation.js keeps its Undo bar this long, or until the next action
# What a bulk action did, for the confirmation: whole sentences so translators can reorder.
ACTION_DONE: dict[str, Callable[[int], str]] = {
    "approve": lambda n: ngettext("Approved %(num)d reply.", "Approved %(num)d replies.", n),
    "trash": lambda n: ngettext("Trashed %(num)d reply.", "Trashed %(num)d replies.", n),
    "spam": lambda n: ngettext(
        "Marked %(num)d reply as spam.", "Marked %(num)d replies as spam.", n
    ),
    "not_spam": lambda n: ngettext(
        "Marked %(num)d reply as not spam.", "Marked %(num)d replies as not spam.", n
    ),
    "keep": lambda n: ngettext("Kept %(num)d reply.", "Kept %(num)d replies.", n),
}


def _filters() -> QueueFilters:
    args = request.args
    post = args.get("post", "")
    return QueueFilters(
        post_id=parse_id(post),
        author=args.get("author") or None,
        email=args.get("email") or None,
        ip=args.get("ip") or None,
        text=args.get("q") or None,
        reason=args.get("reason") or None,
    )


@bp.get("")
def index() -> ResponseReturnValue:
    if "q" in request.args:  # the queue's search box: every reply, whatever its status
        return render_results("search/moderation.html", "moderation.index", Scope.MODERATION)
    return redirect(url_for("moderation.queue", tab=Tab.PENDING.value))


@bp.get("/queue/<tab>")
def queue(tab: str) -> ResponseReturnValue:
    try:
        chosen = Tab(tab)
    except ValueError:
        return redirect(url_for("moderation.queue", tab=Tab.PENDING.value))
    page = queues.load_queue(
        tab=chosen,
        filters=_filters(),
        newest_first=request.args.get("sort") != "oldest",
        page=page_arg(),
        per_page=PER_PAGE,
    )
    return render_template(
        "moderation/queue.html",
        queue=page,
        filters=_filters(),
        form=ActOnRepliesForm(formdata=None),
        group_form=GroupForm(formdata=None),
        last=session.pop(LAST_ACTION_KEY, None),
        undo_seconds=UNDO_SECONDS,
    )


@bp.post("/act")
def act() -> ResponseReturnValue:
    form = ActOnRepliesForm()
    if not form.validate():
        raise InvalidInput({name: list(errors) for name, errors in form.errors.items()})
    action, ids = _chosen(form)
    moderator, reason = current_moderator(), value(form.reason)
    if action == "keep":
        result = keep(moderator=moderator, reply_ids=ids, reason=reason)
    else:
        result = actions.moderate(
            moderator=moderator,
            reply_ids=ids,
            action=action,
            reason=reason,
            seen=_seen(form.seen.data or []),
        )
    return _acted(result, action, form.next.data)


def _chosen(form: ActOnRepliesForm) -> tuple[str, list[int]]:
    """A row's own button names one reply; the bulk buttons act on the ticked ones."""
    action, _sep, raw_id = value(form.single).partition(":")
    if (reply_id := parse_id(raw_id)) is not None:
        return action, [reply_id]
    return value(form.action), list(form.ids.data or [])


def _seen(pairs: list[str]) -> dict[int, ReplyStatus]:
    """{reply id: status} from the form's "id:status" pairs; malformed ones are ignored."""
    seen = {}
    for pair in pairs:
        raw_id, _, raw_status = pair.partition(":")
        reply_id = parse_id(raw_id)
        if reply_id is not None and raw_status in ReplyStatus._value2member_map_:
            seen[reply_id] = ReplyStatus(raw_status)
    return seen


@bp.post("/group")
def approve_group() -> ResponseReturnValue:
    """Approve every pending reply held by one rule (from the Pending tab's groups)."""
    form = GroupForm()
    if not form.validate():
        raise InvalidInput({"reason": [_("Choose a group.")]})
    ids = queues.ids_in_group(value(form.reason))
    result = actions.ModerationResult()  # an emptied group: say so rather than refuse
    if ids:
        result = actions.moderate(
            moderator=current_moderator(),
            reply_ids=ids,
            action="approve",
            reason=f"approved the “{value(form.reason)}” group",
        )
    message = group_message(value(form.reason), len(result.changed), result.skipped)
    return _acted(result, "approve", form.next.data, message)


def _message(result: actions.ModerationResult, action: str) -> str:
    changed = len(result.changed)
    done = ACTION_DONE.get(action)
    if done is not None:
        message = done(changed)
    else:
        message = ngettext(
            "%(action)s: %(num)d reply.", "%(action)s: %(num)d replies.", changed, action=action
        )
    if action == "keep" and result.changed:
        message = _("%(done)s Their reports are dismissed.", done=message)
    if result.skipped:
        message = ngettext(
            "%(done)s %(num)d skipped (already there, or changed meanwhile).",
            "%(done)s %(num)d skipped (already there, or changed meanwhile).",
            result.skipped,
            done=message,
        )
    return message


def _acted(
    result: actions.ModerationResult, action: str, next_url: str | None, message: str = ""
) -> ResponseReturnValue:
    message = message or _message(result, action)
    entry_id = result.entry.id if result.entry else None
    if wants_json():
        counts = {tab.value: n for tab, n in queues.counts().items()}
        return jsonify(
            message=message,
            changed=[r.id for r in result.changed],
            skipped=result.skipped,
            entry_id=entry_id,
            counts=counts,
        )
    session[LAST_ACTION_KEY] = {"message": message, "entry_id": entry_id}
    return redirect(safe_next(next_url, url_for("moderation.index")), code=303)


@bp.get("/replies/<int:reply_id>")
def item(reply_id: int) -> ResponseReturnValue:
    detail = queues.item_detail(reply_id)
    reply = detail.item.reply
    return render_template(
        "moderation/item.html",
        detail=detail,
        reply=reply,
        act_form=ActOnRepliesForm(formdata=None),
        edit_form=EditReplyForm(formdata=None, body=reply.body_source),
        reply_form=ModeratorReplyForm(formdata=None),
        branch_form=BranchForm(formdata=None),
        ban_form=_ban_form_for(reply),
        last=session.pop(LAST_ACTION_KEY, None),
    )


def _ban_form_for(reply: Reply) -> BanForm:
    if reply.author_id is not None:
        return BanForm(formdata=None, target="user", value=str(reply.author_id))
    if reply.guest_email:
        return BanForm(formdata=None, target="email", value=reply.guest_email)
    return BanForm(formdata=None, target="ip", value=reply.ip_address or "")


@bp.post("/replies/<int:reply_id>/edit")
def edit(reply_id: int) -> ResponseReturnValue:
    form = EditReplyForm()
    if not form.validate():
        raise InvalidInput({name: list(errors) for name, errors in form.errors.items()})
    actions.edit_reply(
        moderator=current_moderator(),
        reply_id=reply_id,
        body=value(form.body),
        reason=value(form.reason),
    )
    flash(_("The reply is edited; the earlier text is kept in its history."), "success")
    return redirect(url_for("moderation.item", reply_id=reply_id), code=303)


@bp.post("/replies/<int:reply_id>/reply")
def reply(reply_id: int) -> ResponseReturnValue:
    form = ModeratorReplyForm()
    if not form.validate():
        raise InvalidInput({name: list(errors) for name, errors in form.errors.items()})
    posted = actions.reply_as_moderator(
        moderator=current_moderator(),
        actor=current_actor(),
        parent_id=reply_id,
        body=value(form.body),
    )
    answer = posted.answer
    flash(_("Your reply is posted."), "success")
    return redirect(
        url_for("threads.permalink", slug=answer.post.slug, reply_id=answer.id), code=303
    )


@bp.post("/replies/<int:reply_id>/branch")
def branch(reply_id: int) -> ResponseReturnValue:
    form = BranchForm()
    if not form.validate():
        raise InvalidInput({name: list(errors) for name, errors in form.errors.items()})
    entry = branches.moderate_branch(
        moderator=current_moderator(),
        reply_id=reply_id,
        action=value(form.action),
        reason=value(form.reason),
    )
    session[LAST_ACTION_KEY] = {
        "message": branch_message(value(form.action), len(entry.target_ids)),
        "entry_id": entry.id,
    }
    return redirect(url_for("moderation.item", reply_id=reply_id), code=303)
