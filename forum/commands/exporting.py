"""`porch export json|wordpress FILE` and `porch import json FILE`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click
from flask import current_app

from forum.commands.import_group import import_group
from forum.extensions import db
from forum.services import search
from forum.services.exporting.json_export import write_export
from forum.services.exporting.json_restore import RestoreRefused
from forum.services.exporting.json_restore import restore
from forum.services.exporting.wxr import write_wxr

export = click.Group("export", help="Write everything on this site to a file.")
FILE = click.Path(dir_okay=False, allow_dash=True, path_type=Path)


@contextmanager
def _output(path: Path) -> Iterator[TextIO]:
    """Write beside the target and rename at the end, so a failed export leaves no half file."""
    if str(path) == "-":
        yield sys.stdout
        return
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            yield out
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _run(path: Path, write: Callable[[TextIO], None], what: str) -> None:
    try:
        with _output(path) as out:
            write(out)
    except OSError as error:
        raise click.ClickException(f"Cannot write {path}: {error.strerror or error}") from error
    if str(path) != "-":
        click.echo(f"{what} written to {path} ({path.stat().st_size:,} bytes).", err=True)


@export.command("json")
@click.argument("path", metavar="FILE", type=FILE)
def export_json(path: Path) -> None:
    """Everything (less passwords and session tokens) as JSON; FILE - for standard output."""
    _run(path, lambda out: write_export(db.engine, out), "Export")


@export.command("wordpress")
@click.argument("path", metavar="FILE", type=FILE)
def export_wordpress(path: Path) -> None:
    """Posts, categories, authors and replies as WordPress WXR 1.2."""
    from forum.web.exporting import wxr_site

    base_url = current_app.config["SITE_URL"] or "http://localhost/"
    with current_app.test_request_context(base_url=base_url):
        _run(path, lambda out: write_wxr(db.engine, out, wxr_site()), "WordPress export")


@import_group.command("json")
@click.argument(
    "path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def import_json(path: Path) -> None:
    """Restore a `porch export json` file into this empty database."""
    try:
        with path.open(encoding="utf-8") as source:
            counts = restore(db.engine, source)
    except RestoreRefused as error:
        raise click.ClickException(error.message) from error
    search.reindex_all()  # restored rows bypass the services that index as they write
    summary = ", ".join(f"{table} {count:,}" for table, count in counts.items() if count)
    click.echo(f"Restored {sum(counts.values()):,} rows ({summary or 'an empty site'}).")
    if counts.get("user"):
        click.echo(
            "Passwords are not in exports: account holders set a new one via password reset."
        )
