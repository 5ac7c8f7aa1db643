"""`porch import ...`: one group; each importer adds its subcommand (json, wordpress, ...)."""

from __future__ import annotations

import click

import_group = click.Group(
    "import",
    help="Load content from a file into this site (a Porch JSON export, WordPress, Disqus).",
)
