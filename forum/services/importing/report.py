"""What an import did, by kind: imported, already there, skipped and why, adjusted and how."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from forum.i18n import _
from forum.i18n import ngettext


@dataclass
class ImportReport:
    imported: Counter[str] = field(default_factory=Counter)
    already: Counter[str] = field(default_factory=Counter)
    skipped: dict[str, Counter[str]] = field(default_factory=dict)
    notes: dict[str, Counter[str]] = field(default_factory=dict)

    def skip(self, kind: str, reason: str) -> None:
        self.skipped.setdefault(kind, Counter())[reason] += 1

    def note(self, kind: str, what: str) -> None:
        self.notes.setdefault(kind, Counter())[what] += 1

    @property
    def nothing_new(self) -> bool:
        return not self.imported and bool(self.already)

    def as_dict(self) -> dict[str, Any]:
        """JSON for the job row; `lines` reads it back."""
        return {
            "imported": dict(self.imported),
            "already": dict(self.already),
            "skipped": {kind: dict(reasons) for kind, reasons in self.skipped.items()},
            "notes": {kind: dict(what) for kind, what in self.notes.items()},
        }


# Record kinds as counted in a report (stored keys), in words with each language's plurals.
_KINDS: dict[str, Callable[[int], str]] = {
    "post": lambda n: ngettext("%(num)d post", "%(num)d posts", n),
    "page": lambda n: ngettext("%(num)d page", "%(num)d pages", n),
    "comment": lambda n: ngettext("%(num)d comment", "%(num)d comments", n),
    "account": lambda n: ngettext("%(num)d account", "%(num)d accounts", n),
    "author": lambda n: ngettext("%(num)d author", "%(num)d authors", n),
    "category": lambda n: ngettext("%(num)d category", "%(num)d categories", n),
    "thread": lambda n: ngettext("%(num)d thread", "%(num)d threads", n),
    "other item": lambda n: ngettext("%(num)d other item", "%(num)d other items", n),
    "pingback": lambda n: ngettext("%(num)d pingback", "%(num)d pingbacks", n),
    "trackback": lambda n: ngettext("%(num)d trackback", "%(num)d trackbacks", n),
}


def _plural(count: int, kind: str) -> str:
    if kind in _KINDS:
        return _KINDS[kind](count)
    if count == 1 or kind.endswith("s"):
        return f"{count} {kind}"
    return f"{count} {kind[:-1]}ies" if kind.endswith("y") else f"{count} {kind}s"


def lines(report: dict[str, Any]) -> list[str]:
    """The report as sentences for the terminal and the job page.

    Reasons are stored in English; those marked with N_ where they are noted are translated.
    """
    out: list[str] = []
    imported = report.get("imported", {})
    already = report.get("already", {})
    if not imported and already:
        out.append(
            ngettext(
                "Nothing new: the %(num)d record was imported before; nothing was created.",
                "Nothing new: all %(num)d records were imported before; nothing was created.",
                sum(already.values()),
            )
        )
    elif imported:
        listed = ", ".join(_plural(n, k) for k, n in sorted(imported.items()))
        out.append(_("Imported: %(listed)s.", listed=listed))
    else:
        out.append(_("Nothing was imported."))
    if imported and already:
        listed = ", ".join(_plural(n, k) for k, n in sorted(already.items()))
        out.append(_("Already imported before (left as they were): %(listed)s.", listed=listed))
    for kind, reasons in sorted(report.get("skipped", {}).items()):
        for reason, count in sorted(reasons.items()):
            out.append(
                _(
                    "Skipped %(records)s: %(reason)s.",
                    records=_plural(count, kind),
                    reason=_(reason),
                )
            )
    for kind, notes in sorted(report.get("notes", {}).items()):
        for what, count in sorted(notes.items()):
            records = _plural(count, kind)
            out.append(
                _("%(records)s: %(what)s.", records=records[:1].upper() + records[1:], what=_(what))
            )
    return out
