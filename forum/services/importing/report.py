"""What an import did, by kind: imported, already there, skipped and why, adjusted and how."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from forum.i18n import _


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


def _plural(count: int, kind: str) -> str:
    if count == 1 or kind.endswith("s"):
        return f"{count} {kind}"
    return f"{count} {kind[:-1]}ies" if kind.endswith("y") else f"{count} {kind}s"


def lines(report: dict[str, Any]) -> list[str]:
    """The report as sentences for the terminal and the job page."""
    out: list[str] = []
    imported = report.get("imported", {})
    already = report.get("already", {})
    if not imported and already:
        total = sum(already.values())
        out.append(f"Nothing new: all {total} records were imported before; nothing was created.")
    elif imported:
        out.append(
            "Imported: " + ", ".join(_plural(n, k) for k, n in sorted(imported.items())) + "."
        )
    else:
        out.append(_("Nothing was imported."))
    if imported and already:
        listed = ", ".join(_plural(n, k) for k, n in sorted(already.items()))
        out.append(f"Already imported before (left as they were): {listed}.")
    for kind, reasons in sorted(report.get("skipped", {}).items()):
        for reason, count in sorted(reasons.items()):
            out.append(f"Skipped {_plural(count, kind)}: {reason}.")
    for kind, notes in sorted(report.get("notes", {}).items()):
        for what, count in sorted(notes.items()):
            out.append(f"{_plural(count, kind).capitalize()}: {what}.")
    return out
