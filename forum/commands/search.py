"""`porch search reindex`: rebuild the full-text index from the posts and replies tables."""

from __future__ import annotations

import time

import click

from forum.services import search as search_service

search = click.Group("search", help="The full-text search index.")


@search.command("reindex")
@click.option("--post", "post_id", type=int, help="Only this post (by id) and its replies.")
def reindex(post_id: int | None) -> None:
    """Rebuild the index (for example after restoring a backup, or a bulk import)."""
    started = time.monotonic()
    if post_id is not None:
        count = search_service.reindex_post(post_id)
        click.echo(f"Reindexed post {post_id}: {count:,} documents.")
        return
    counts = search_service.reindex_all()
    seconds = time.monotonic() - started
    click.echo(
        f"Reindexed {counts['posts']:,} posts and {counts['replies']:,} replies in {seconds:.1f} s."
    )
