"""`porch export json|wordpress FILE` and `porch import json FILE`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from flask import Flask

from forum.extensions import db
from tests.conftest import make_app
from tests.export_site import fill_site


def test_export_json_then_import_json_into_a_new_site_round_trips(
    app: Flask, tmp_path: Path
) -> None:
    fill_site()
    first, second = tmp_path / "site.json", tmp_path / "again.json"
    result = app.test_cli_runner().invoke(args=["porch", "export", "json", str(first)])
    assert result.exit_code == 0, result.output
    assert "Export written to" in result.output and not list(tmp_path.glob("*.partial"))
    other = make_app(DATABASE_URL="sqlite://")
    runner = other.test_cli_runner()
    with other.app_context():  # the commands use the current app: make it the new site
        db.create_all()
        restored = runner.invoke(args=["porch", "import", "json", str(first)])
        assert restored.exit_code == 0, restored.output
        assert "Restored" in restored.output and "password reset" in restored.output
        assert runner.invoke(args=["porch", "export", "json", str(second)]).exit_code == 0
    one, two = json.loads(first.read_text()), json.loads(second.read_text())
    assert one.pop("exported_at") and two.pop("exported_at")
    assert one == two


def test_import_json_into_a_site_with_content_fails_with_advice(app: Flask, tmp_path: Path) -> None:
    fill_site()
    path = tmp_path / "site.json"
    runner = app.test_cli_runner()
    runner.invoke(args=["porch", "export", "json", str(path)])
    refused = runner.invoke(args=["porch", "import", "json", str(path)])
    assert refused.exit_code != 0
    assert "not empty" in refused.output and "db upgrade" in refused.output


def test_export_wordpress_writes_wxr(app: Flask, tmp_path: Path) -> None:
    fill_site()
    path = tmp_path / "wordpress.xml"
    result = app.test_cli_runner().invoke(args=["porch", "export", "wordpress", str(path)])
    assert result.exit_code == 0, result.output
    root = ET.parse(path).getroot()
    assert root.findtext("channel/{http://wordpress.org/export/1.2/}wxr_version") == "1.2"
    assert len(root.findall("channel/item")) == 2


def test_export_to_a_missing_folder_says_so(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(
        args=["porch", "export", "json", str(tmp_path / "nowhere" / "site.json")]
    )
    assert result.exit_code != 0 and "Cannot write" in result.output
    assert "No such file or directory" in result.output
