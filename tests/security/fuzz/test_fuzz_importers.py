"""The importers fed exports with hostile text in every field, and broken XML.

Either the import works or it is refused with ImportFileError (a message for the admin), and
a refused file leaves every table as it was; never another exception.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from forum.models import Role
from forum.services.importing import ImportFileError
from forum.services.importing import Options
from forum.services.importing import import_file
from tests.conftest import login_on
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr
from tests.factories import make_user
from tests.security.fuzz.values import FUZZ
from tests.security.fuzz.values import row_counts
from tests.security.fuzz.values import shared_site
from tests.security.fuzz.values import texts

_files = itertools.count()


@st.composite
def field(draw: Any) -> str:
    """Hostile text, escaped for XML or not (unescaped, it may break the file: also wanted)."""
    text: str = draw(texts)
    return escape(text) if draw(st.booleans()) else text


@st.composite
def wordpress_file(draw: Any) -> bytes:
    comments = [
        Comment(
            id=draw(st.integers(-5, 10**12)),
            parent=draw(st.integers(-5, 50)),
            approved=draw(st.sampled_from(["1", "0", "spam", "trash"]) | field()),
            kind=draw(st.sampled_from(["", "pingback"]) | field()),
            author=draw(field()),
            email=draw(field()),
            content=draw(field()),
            user_id=draw(st.integers(-1, 10)),
            date=draw(st.sampled_from(["2020-01-02 10:00:00", "0000-00-00 00:00:00"]) | field()),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    item = Item(
        id=draw(st.integers(-5, 10**12)),
        title=draw(field()),
        slug=draw(field()),
        comments=comments,
        kind=draw(st.sampled_from(["post", "page"]) | field()),
        status=draw(st.sampled_from(["publish", "draft"]) | field()),
        content=draw(field()),
        category=draw(field()),
        creator=draw(field()),
    )
    return _mangle(draw, wxr([item]).encode("utf-8", "surrogatepass"))


@st.composite
def disqus_file(draw: Any) -> bytes:
    def text() -> str:
        return str(draw(field()))

    posts = "".join(
        f"""<post dsq:id="{text()}"><message><![CDATA[{text()}]]></message>
        <createdAt>{text()}</createdAt><isDeleted>{text()}</isDeleted><isSpam>false</isSpam>
        <author><name>{text()}</name><email>{text()}</email><username>{text()}</username>
        </author><ipAddress>{text()}</ipAddress><thread dsq:id="1"/>
        <parent dsq:id="{text()}"/></post>"""
        for _ in range(draw(st.integers(0, 3)))
    )
    document = f"""<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><link>{text()}</link><title>{text()}</title>
<createdAt>{text()}</createdAt></thread>{posts}</disqus>"""
    return _mangle(draw, document.encode("utf-8", "surrogatepass"))


def _mangle(draw: Any, data: bytes) -> bytes:
    """Sometimes cut the file short or splice in garbage, as a broken upload would."""
    how = draw(st.integers(0, 5))
    if how == 0:
        return data[: draw(st.integers(0, len(data)))]
    if how == 1:
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
    return data


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Path]]:
    folder = tmp_path_factory.mktemp("imports")
    with shared_site(IMPORT_DIR=str(folder / "uploads")) as app:
        yield app, folder


def _import(folder: Path, kind: str, data: bytes) -> None:
    path = folder / f"{next(_files)}.xml"
    path.write_bytes(data)
    before = row_counts()
    try:
        import_file(kind=kind, path=path, options=Options())
    except ImportFileError as refused:
        assert refused.message.startswith("The file could not be imported")
        assert row_counts() == before


@pytest.mark.parametrize("kind", ["wordpress", "disqus"])
def test_importer_imports_or_refuses_and_stores_nothing_when_refusing(
    site: tuple[Flask, Path], kind: str
) -> None:
    _app, folder = site
    strategy = wordpress_file() if kind == "wordpress" else disqus_file()

    @given(data=strategy)
    @FUZZ
    def run(data: bytes) -> None:
        _import(folder, kind, data)

    run()


def test_import_page_upload_never_fails(site: tuple[Flask, Path]) -> None:
    """The admin's upload form: any file, any source name; the import runs inline in tests."""
    app, _folder = site
    client = app.test_client()
    login_on(client, make_user(role=Role.ADMIN))

    @given(
        source=st.sampled_from(["wordpress", "disqus"]) | texts,
        data=wordpress_file() | disqus_file() | st.binary(max_size=200),
        name=texts,
    )
    @FUZZ
    def upload(source: str, data: bytes, name: str) -> None:
        filename = name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")  # str only
        form = {
            "source": source.encode("utf-8", "surrogatepass"),
            "file": (io.BytesIO(data), filename),
        }
        response = client.post(
            "/mod/settings/import",
            data=form,
            headers={"Sec-Fetch-Site": "same-origin"},
            content_type="multipart/form-data",
        )
        assert response.status_code < 500, (source, name, data[:200])

    upload()
