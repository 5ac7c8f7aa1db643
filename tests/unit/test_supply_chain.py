"""`make audit` tells an offline pip-audit run from a clean one, and fails on a vulnerability."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests.supply_chain import SKIP
from tests.supply_chain import verdict


def _answer(dependencies: list[dict[str, Any]], stderr: str = "") -> Any:
    stdout = json.dumps({"dependencies": dependencies, "fixes": []})
    return subprocess.CompletedProcess([], 0, stdout=stdout, stderr=stderr)


def test_every_package_unknown_means_the_service_was_unreachable() -> None:
    skipped = [{"name": "flask", "skip_reason": "Dependency not found on PyPI"}]
    assert verdict(_answer(skipped)) == (0, SKIP)


def test_connection_error_before_any_answer_is_a_skip() -> None:
    failed = subprocess.CompletedProcess([], 1, stdout="", stderr="requests ConnectionError: x")
    assert verdict(failed) == (0, SKIP)


def test_checked_packages_without_vulnerabilities_pass() -> None:
    status, message = verdict(_answer([{"name": "flask", "version": "3.1.3", "vulns": []}]))
    assert status == 0 and "1 pinned packages checked" in message


def test_a_known_vulnerability_fails_and_names_the_fix() -> None:
    vuln = {"id": "PYSEC-2099-1", "fix_versions": ["3.1.4"], "aliases": [], "description": ""}
    status, message = verdict(_answer([{"name": "flask", "version": "3.1.3", "vulns": [vuln]}]))
    assert status == 1
    assert "flask 3.1.3: PYSEC-2099-1 (fixed in: 3.1.4)" in message


def test_any_other_failure_is_not_hidden() -> None:
    broken = subprocess.CompletedProcess([], 2, stdout="", stderr="invalid requirement")
    assert verdict(broken)[0] == 2
