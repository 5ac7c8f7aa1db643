"""`make audit`'s second half: pip-audit over the pinned requirements, honest about offline runs.

pip-audit asks PyPI's vulnerability service about every pinned package. Where that service
cannot be reached (no internet, or a mirror that does not serve it), pip-audit reports each
package as "not found" and exits 0, which reads like a clean audit. This wrapper tells the two
apart: when no package could be checked it says so and skips (exit 0); otherwise it fails on
any known vulnerability.

    PYTHONPATH=. .venv/bin/python -m tests.supply_chain
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
OFFLINE_SIGNS = ("ConnectionError", "Max retries", "Name or service not known", "timed out")
SKIP = (
    "pip-audit skipped: the vulnerability service (PyPI) could not be reached from this machine, "
    "so no package was checked. Run `make audit` on a machine with internet access."
)


def run_pip_audit() -> subprocess.CompletedProcess[str]:
    files = [arg for name in REQUIREMENTS for arg in ("-r", str(ROOT / name))]
    command = [
        str(Path(sys.executable).parent / "pip-audit"),
        "--no-deps",  # the files pin every package: nothing to resolve or install
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
        *files,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def verdict(result: subprocess.CompletedProcess[str]) -> tuple[int, str]:
    """The exit status and what to print, from pip-audit's answer."""
    try:
        report: dict[str, Any] = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    dependencies = report.get("dependencies", [])
    if not dependencies:
        if any(sign in result.stderr for sign in OFFLINE_SIGNS):
            return 0, SKIP
        return result.returncode or 1, f"pip-audit failed:\n{result.stderr}"
    checked = [dep for dep in dependencies if "vulns" in dep]
    if not checked:
        return 0, SKIP
    vulnerable = [dep for dep in checked if dep["vulns"]]
    unchecked = len(dependencies) - len(checked)
    note = f" ({unchecked} not known to the service)" if unchecked else ""
    if not vulnerable:
        return 0, f"pip-audit: {len(checked)} pinned packages checked{note}, none vulnerable."
    lines = [
        f"{dep['name']} {dep['version']}: {vuln['id']} "
        f"(fixed in: {', '.join(vuln['fix_versions']) or 'no release yet'})"
        for dep in vulnerable
        for vuln in dep["vulns"]
    ]
    return 1, "pip-audit found known vulnerabilities:\n" + "\n".join(lines)


def main() -> int:
    status, message = verdict(run_pip_audit())
    print(message)
    return status


if __name__ == "__main__":
    sys.exit(main())
