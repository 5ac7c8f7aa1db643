"""The ceiling: a bare Flask app answering every GET with the bytes of a saved Porch page.

Run under the same gunicorn settings as Porch; BENCH_PAGE_FILE names the saved page.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask import Response

app = Flask(__name__)
PAGE = Path(os.environ["BENCH_PAGE_FILE"]).read_bytes()


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def page(path: str) -> Response:
    return Response(PAGE, content_type="text/html; charset=utf-8")
