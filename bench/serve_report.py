"""The serving benchmark's table and target check, as markdown for bench/results.md."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.serve_bench import Round
    from bench.serve_bench import Row

LABELS = {
    "anonymous": "(a) thread page, 1,000 replies, anonymous",
    "signed_in": "(b) same page, signed in",
    "posting": "(c) posting a reply, every rule and spam score on",
    "queue": "(d) moderation queue, 10,000 pending (one client)",
}


@dataclass(frozen=True)
class Target:
    name: str
    measured: float
    wanted: float
    higher_is_better: bool
    unit: str

    @property
    def met(self) -> bool:
        if math.isnan(self.measured):
            return False
        return (
            self.measured >= self.wanted if self.higher_is_better else self.measured <= self.wanted
        )

    def line(self) -> str:
        if math.isnan(self.measured):
            return f"| {self.name} | not measured | {self.wanted:g}{self.unit} | — |"
        if self.met:
            verdict = "met"
        elif self.higher_is_better:
            verdict = f"missed: {self.measured / self.wanted:.0%} of the target"
        else:
            verdict = f"missed: {self.measured / self.wanted:.1f}× the limit"
        measured, wanted = f"{self.measured:.3g}{self.unit}", f"{self.wanted:g}{self.unit}"
        return f"| {self.name} | {measured} | {wanted} | {verdict} |"


def _row_line(label: str, row: Row) -> str:
    out = row.outcome
    per_reply = f"{row.replies_per_second:,.0f}" if row.replies_per_response else "—"
    errors = (
        sum(n for status, n in out.statuses.items() if status >= 400 or status == 0) + out.errors
    )
    return (
        f"| {label} | {out.per_second:,.1f} | {out.p50:.1f} | {out.p99:.1f} | {per_reply} "
        f"| {row.peak_mib:.0f} | {errors} | {out.client} |"
    )


def _cpu_split(row: Row) -> str:
    spent = ", ".join(f"{who} {ms:.1f} ms" for who, ms in row.cpu_ms.items())
    return f"{spent} ({sum(row.cpu_ms.values()):.1f} ms in all)"


def _posting_cpu_line(result: Round) -> str:
    """Where each post's CPU went in the kept (c) rows: posting is bound by CPU, and its p50
    under load follows the machine time a post takes."""
    ours = result.rows["posting"]
    if not ours.cpu_ms:
        return ""
    line = f"(c) CPU per post on {result.database}, from /proc: Porch {_cpu_split(ours)}"
    theirs = result.isso_posting
    if theirs is not None and theirs.cpu_ms:
        line += f"; Isso beside it {_cpu_split(theirs)}"
    return line + "."


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def targets(result: Round, isso_fetch: Row | None) -> list[Target]:
    rows = result.rows
    assert result.ceiling is not None
    ceiling = result.ceiling
    nan = float("nan")
    isso_post = result.isso_posting
    counts = set(result.statements.values())
    return [
        Target(
            "(a) anonymous / ceiling, req/s",
            _ratio(rows["anonymous"].outcome.per_second, ceiling.outcome.per_second),
            0.60,
            True,
            "",
        ),
        Target(
            "(a) anonymous / Isso, replies delivered/s",
            _ratio(rows["anonymous"].replies_per_second, isso_fetch.replies_per_second)
            if isso_fetch
            else nan,
            100,
            True,
            "×",
        ),
        Target(
            "(b) signed in / ceiling, req/s",
            _ratio(rows["signed_in"].outcome.per_second, ceiling.outcome.per_second),
            0.15,
            True,
            "",
        ),
        Target(
            "(c) posting p50 / Isso's",
            _ratio(rows["posting"].outcome.p50, isso_post.outcome.p50) if isso_post else nan,
            1.5,
            False,
            "×",
        ),
        Target("(d) queue p50, ms", rows["queue"].outcome.p50, 100, False, " ms"),
        Target("(e) distinct SQL statement counts", float(len(counts)), 1, False, ""),
    ]


def render(
    rounds: list[Round],
    isso_fetch: Row | None,
    *,
    machine: str,
    when: datetime,
    minutes: float,
) -> str:
    lines = [
        f"Measured {when:%Y-%m-%d %H:%M} UTC on {machine}; the run took {minutes:.1f} minutes.",
        "Load from 8 clients on 127.0.0.1 for a few seconds per row, after a short unmeasured",
        "warm-up: reads on kept-open connections, posts each on a new one (as from a new browser);",
        "every server under gunicorn with the same settings (gunicorn.conf.py's sizing). Medians",
        "of one run: compare the ratios, which hold across machines, rather than the absolute",
        "figures. The ceiling is measured in each database's round just before (a), and its",
        "ratios use that one. (c) takes Porch's and Isso's posting rows in turns, three of each,",
        "and keeps each side's row with the median p50.",
        "(e) counts the statements of a rendered page (page cache off): a cached copy costs one.",
        "",
        "| what | req/s | p50 ms | p99 ms | replies delivered/s | peak MiB per worker | errors "
        "| client |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if isso_fetch is not None:
        lines.append(_row_line("Isso 0.14: JSON fetch of the thread", isso_fetch))
    for result in rounds:
        assert result.ceiling is not None
        label = f"ceiling beside {result.database}: bare Flask, same bytes as (a)"
        lines.append(_row_line(label, result.ceiling))
        for key, name in LABELS.items():
            lines.append(_row_line(f"Porch, {result.database}: {name}", result.rows[key]))
            if key == "posting" and result.isso_posting is not None:
                label = f"Isso 0.14 beside {result.database}: posting"
                lines.append(_row_line(label, result.isso_posting))
    lines.append("")
    for result in rounds:
        counts = ", ".join(f"{size:,} replies: {n}" for size, n in result.statements.items())
        lines.append(f"(e) SQL statements per thread page on {result.database}: {counts}.")
    for result in rounds:
        if line := _posting_cpu_line(result):
            lines.append(line)
    for result in rounds:
        lines += [
            "",
            f"Targets on {result.database}:",
            "",
            "| target | measured | wanted | |",
            "|---|---|---|---|",
        ]
        lines += [target.line() for target in targets(result, isso_fetch)]
    return "\n".join(lines) + "\n"


def write(results: Path, begin: str, end: str, report: str) -> None:
    """Replace this benchmark's section of results.md, keeping everyone else's."""
    section = f"{begin}\n{report}{end}"
    current = results.read_text() if results.exists() else "# Benchmark results\n"
    if begin in current:
        head, _, rest = current.partition(begin)
        current = head + section + rest.partition(end)[2]
    else:
        current = (
            current.rstrip()
            + "\n\n## Serving: Porch against Isso and a bare Flask ceiling\n\n"
            + section
            + "\n"
        )
    results.write_text(current)
