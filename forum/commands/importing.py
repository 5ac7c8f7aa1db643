"""`porch import wordpress|disqus FILE`: import an export here, with a progress bar and a report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from forum.commands.import_group import import_group
from forum.services.importing import ImportFileError
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.services.importing.report import lines

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


class _Bar:
    """A click progress bar that appears once the check pass knows the total."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int | None) -> None:
        if total is None:
            return
        if self.bar is None:
            click.echo(f"The file is readable: {total} records.")
            self.bar = click.progressbar(length=total, label="Importing", show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _run(kind: str, path: Path, options: Options) -> None:
    click.echo(f"Checking {path} …")
    bar = _Bar()
    try:
        report = import_file(kind=kind, path=path, options=options, on_progress=bar)
    except ImportFileError as error:
        raise click.ClickException(error.message) from error
    finally:
        bar.close()
    for line in lines(report.as_dict()):
        click.echo(line)


@import_group.command("wordpress")
@click.argument("file", type=_FILE)
@click.option("--with-pingbacks", is_flag=True, help="Keep pingbacks and trackbacks as replies.")
def wordpress(file: Path, with_pingbacks: bool) -> None:
    """Import posts, pages, authors and comments from a WordPress export (WXR)."""
    _run("wordpress", file, Options(with_pingbacks=with_pingbacks))


@import_group.command("disqus")
@click.argument("file", type=_FILE)
def disqus(file: Path) -> None:
    """Import comments from a Disqus export; each thread joins the post with its address."""
    _run("disqus", file, Options())
