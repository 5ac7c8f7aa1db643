"""The reply tree: nesting, numbering per level, the depth cap and placeholders."""

from __future__ import annotations

from forum.models import Reply
from forum.models import ReplyStatus
from forum.models.reply import path_segment
from forum.services.tree import ThreadNode
from forum.services.tree import build_tree


def _reply(
    reply_id: int, parent: Reply | None = None, status: ReplyStatus = ReplyStatus.APPROVED
) -> Reply:
    path = f"{parent.path}/{path_segment(reply_id)}" if parent else path_segment(reply_id)
    return Reply(
        id=reply_id,
        parent_id=parent.id if parent else None,
        path=path,
        depth=parent.depth + 1 if parent else 0,
        status=status,
        guest_name=f"Guest {reply_id}",
        body_source="x",
        body_html="<p>x</p>",
    )


def _approved(reply: Reply) -> bool:
    return reply.status == ReplyStatus.APPROVED


def _shape(nodes: list[ThreadNode]) -> list[object]:
    return [
        (node.reply.id, node.number, _shape(node.children))
        if node.children
        else (node.reply.id, node.number)
        for node in nodes
    ]


def test_build_tree_nests_children_and_numbers_each_level_from_one() -> None:
    a = _reply(1)
    a1 = _reply(2, a)
    a2 = _reply(4, a)
    a1x = _reply(5, a1)
    b = _reply(3)
    replies = sorted([a, a1, a2, a1x, b], key=lambda r: r.path)
    assert _shape(build_tree(replies, _approved, max_depth=5)) == [
        (1, 1, [(2, 1, [(5, 1)]), (4, 2)]),
        (3, 2),
    ]


def test_build_tree_top_level_numbers_continue_from_page_offset() -> None:
    replies = [_reply(7), _reply(9)]
    nodes = build_tree(replies, _approved, max_depth=5, first_number=51)
    assert [node.number for node in nodes] == [51, 52]


def test_build_tree_attaches_replies_past_the_cap_at_the_last_level_naming_the_parent() -> None:
    chain = [_reply(1)]
    for reply_id in range(2, 6):  # depths 1..4
        chain.append(_reply(reply_id, chain[-1]))
    nodes = build_tree(chain, _approved, max_depth=3)
    level2 = nodes[0].children[0].children
    assert [node.reply.id for node in level2] == [3, 4, 5]
    assert [node.display_depth for node in level2] == [2, 2, 2]
    assert [node.in_reply_to for node in level2] == [None, "Guest 3", "Guest 4"]


def test_build_tree_keeps_hidden_parent_as_placeholder_only_above_a_visible_reply() -> None:
    removed_with_child = _reply(1, status=ReplyStatus.TRASH)
    child = _reply(2, removed_with_child)
    removed_alone = _reply(3, status=ReplyStatus.SPAM)
    nodes = build_tree([removed_with_child, child, removed_alone], _approved, max_depth=5)
    assert [node.reply.id for node in nodes] == [1]
    assert nodes[0].placeholder is True
    assert nodes[0].children[0].placeholder is False


def test_build_tree_marks_own_pending_reply_as_held() -> None:
    pending = _reply(1, status=ReplyStatus.PENDING)
    nodes = build_tree([pending], lambda reply: True, max_depth=5)
    assert nodes[0].held is True and nodes[0].placeholder is False


def test_descendant_count_counts_the_whole_subtree() -> None:
    root = _reply(1)
    child = _reply(2, root)
    grandchild = _reply(3, child)
    nodes = build_tree([root, child, grandchild], _approved, max_depth=5)
    assert nodes[0].descendant_count == 2
