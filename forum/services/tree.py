"""Turns replies in path order into the nested, numbered tree a thread page shows."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType

from forum.models import Reply
from forum.models import ReplyStatus


@dataclass
class ThreadNode:
    reply: Reply
    number: int  # place in the list it is shown in, oldest first, the same on every page and sort
    display_depth: int  # 0-based, capped at max_depth - 1
    placeholder: bool  # hidden reply kept only so its visible replies keep their place
    held: bool  # not approved, shown to its own author only
    in_reply_to: str | None  # set when the shown nesting no longer says whom it answers
    liked: bool = False
    own: bool = False  # written by the viewer (account or this browser)
    children: list[ThreadNode] = field(default_factory=list)

    @property
    def descendant_count(self) -> int:
        return sum(1 + child.descendant_count for child in self.children)


def build_tree(
    replies: Sequence[Reply],
    is_visible: Callable[[Reply], bool],
    max_depth: int,
    first_number: int = 1,
    liked_ids: frozenset[int] = frozenset(),
    numbers: Mapping[int, int] = MappingProxyType({}),
    is_own: Callable[[Reply], bool] = lambda reply: False,
) -> list[ThreadNode]:
    """Nest replies (sorted by path) under their parents.

    Replies deeper than max_depth attach at the last level, after their ancestor, and say
    whom they answer. Invisible replies survive as placeholders only if a visible reply
    hangs below them. Numbers come from `numbers`, else follow the sibling before.
    """
    keep = _kept_ids(replies, is_visible)
    by_id = {reply.id: reply for reply in replies}
    nodes: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    last_level = max(max_depth, 1) - 1
    for reply in replies:
        if reply.id not in keep:
            continue
        ancestors = reply.ancestor_ids
        display_depth = min(len(ancestors), last_level)
        shown_parent_id = ancestors[display_depth - 1] if display_depth else None
        siblings = nodes[shown_parent_id].children if shown_parent_id in nodes else roots
        visible = is_visible(reply)
        parent = by_id.get(reply.parent_id) if reply.parent_id is not None else None
        start = first_number if siblings is roots else 1
        node = ThreadNode(
            reply=reply,
            number=numbers.get(reply.id, siblings[-1].number + 1 if siblings else start),
            display_depth=display_depth,
            placeholder=not visible,
            held=visible and reply.status != ReplyStatus.APPROVED,
            in_reply_to=_answered_name(reply, parent, shown_parent_id, is_visible),
            liked=reply.id in liked_ids,
            own=is_own(reply),
        )
        siblings.append(node)
        nodes[reply.id] = node
    return roots


def _kept_ids(replies: Sequence[Reply], is_visible: Callable[[Reply], bool]) -> set[int]:
    """Visible replies plus every ancestor needed to hold them in place."""
    keep: set[int] = set()
    for reply in reversed(replies):  # children come after parents in path order
        if reply.id in keep or is_visible(reply):
            keep.add(reply.id)
            if reply.parent_id is not None:
                keep.add(reply.parent_id)
    return keep


def _answered_name(
    reply: Reply,
    parent: Reply | None,
    shown_parent_id: int | None,
    is_visible: Callable[[Reply], bool],
) -> str | None:
    """Whom a reply past the depth cap answers; never the author of a hidden reply."""
    if reply.parent_id is None or reply.parent_id == shown_parent_id:
        return None
    return parent.author_name if parent is not None and is_visible(parent) else None
