"""`porch backup FILE` and `porch restore FILE`: the embedded database's online backup."""

from __future__ import annotations

from pathlib import Path

import click

from forum.services import backup as backups


def _describe(snapshot: backups.Snapshot) -> str:
    return (
        f"{snapshot.posts:,} posts, {snapshot.replies:,} replies, schema {snapshot.revision}, "
        f"{snapshot.size_bytes / 1_048_576:.1f} MiB"
    )


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DESTINATION if it exists.")
def backup(destination: Path, force: bool) -> None:
    """Copy the SQLite database to DESTINATION while the site runs (PostgreSQL: pg_dump)."""
    try:
        snapshot = backups.back_up(destination, overwrite=force)
    except backups.BackupError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Backed up to {snapshot.path}: {_describe(snapshot)}.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(source: Path, yes: bool) -> None:
    """Replace this site's database with the backup SOURCE. Stop the site first."""
    if not yes:
        click.confirm(
            "This replaces every post, reply and account with the backup's. Go on?", abort=True
        )
    try:
        snapshot = backups.restore(source)
    except backups.BackupError as error:
        raise click.ClickException(error.message) from error
    click.echo(
        f"Restored {_describe(snapshot)}. Run `flask --app wsgi db upgrade` if the backup "
        "is from an older release, then start the site."
    )
