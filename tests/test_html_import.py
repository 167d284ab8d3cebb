"""Importing saved web pages: the CLI (files and folders) and the upload page, all or nothing."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from flask import Flask
from markupsafe import escape
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Article, Paragraph
from tests.admin_support import post
from tests.conftest import Auth

PAGES = Path(__file__).parent / "data" / "boilerplate" / "html"
WIRE = PAGES / "wire-service.html"
FIRST_PARAGRAPH = "(Meridian) -- Grain shipments from the country's three largest ports"


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def stored(app: Flask, title: str) -> Article:
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.title == title))
        assert article is not None
        article.paragraphs  # noqa: B018 - loaded before the session closes
        db.session.expunge_all()
        return article


def test_cli_imports_a_folder_of_saved_pages_with_their_metadata(
    app: Flask, runner, tmp_path: Path
) -> None:
    folder = tmp_path / "saved"
    shutil.copytree(PAGES, folder, ignore=shutil.ignore_patterns("*.json"))
    result = runner.invoke(args=["import", str(folder)])
    assert result.exit_code == 0, result.output
    pages = len(list(PAGES.glob("*.html")))
    assert f"Imported {pages} article(s)" in result.output
    article = stored(app, "Port strike halts grain exports as talks stall")
    assert (article.source, article.external_id) == ("Meridian", "wire-service")
    assert article.published is not None and article.published.isoformat() == "2024-03-18"
    assert article.meta["author"] == "Dana Whitfield"
    assert article.meta["site"] == "Meridian Wire"
    assert article.paragraphs[0].text.startswith(FIRST_PARAGRAPH)
    again = runner.invoke(args=["import", str(folder)])
    assert f"{pages} already present" in again.output


def test_one_bad_page_in_a_folder_imports_nothing(app: Flask, runner, tmp_path: Path) -> None:
    shutil.copy(WIRE, tmp_path / "a_good.html")
    (tmp_path / "b_notes.txt").write_text("A title\nA paragraph.\n", encoding="utf-8")
    (tmp_path / "c_index.htm").write_text("<html><body><nav>Home</nav></body></html>")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 1
    assert "c_index.htm: no article text found in the page" in result.output
    assert "nothing was imported" in result.output
    assert count(app, Article) == 0
    assert count(app, Paragraph) == 0


def upload(auth: Auth, *files: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return post(
        auth.client, "/admin/projects/default/import", data, content_type="multipart/form-data"
    )


def test_admin_uploads_a_saved_page_and_sees_its_paragraphs(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    response = upload(auth, (WIRE.name, WIRE.read_bytes()))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>1</strong> article added (7 paragraphs)" in page
    assert "Port strike halts grain exports as talks stall" in page
    assert escape(FIRST_PARAGRAPH) in page  # shown as text, escaped
    assert "Accept all cookies" not in page


def test_an_empty_page_among_uploads_imports_nothing_and_names_it(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    response = upload(auth, (WIRE.name, WIRE.read_bytes()), ("blank.html", b""))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "blank.html: the file is empty" in page
    assert "nothing was imported" in page
    assert count(app, Article) == 0
