"""The development secret key is written once, even when several workers start together."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from pathlib import Path
from flask import Flask
from forum.config import _development_secret
app = Flask("porch")
app.config["ENV"] = "development"
print(_development_secret(app, Path(sys.argv[1])))
"""


def test_workers_starting_together_read_one_secret_key(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(instance)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    keys = {worker.communicate(timeout=60)[0].strip() for worker in workers}
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
