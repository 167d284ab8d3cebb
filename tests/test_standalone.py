"""`annotator import` without Flask (annotator.standalone) does what the Flask command does:
the same rows, the same lines printed, the same errors; what it does not read as the Flask
command would is left to the Flask command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from annotator import standalone
from annotator.extensions import db
from annotator.models import Annotation, Article, Paragraph, PipelineJob, Project
from annotator.projects import ensure_default_project
from tests.conftest import add_user, empty_database
from tests.test_quickstart import SECRET

ARTICLE = {
    "title": "Talks",
    "external_id": "talks-1",
    "paragraphs": ["Wang Yi 😀 met 李明 in Seoul.", "Nothing was agreed."],
}
#: doccano JSONL: offsets in UTF-16 units (the emoji counts two).
ANNOTATIONS = [
    {
        "text": ARTICLE["paragraphs"][0],
        "label": [[0, 7, "PERSON"], [15, 17, "PERSON"], [21, 26, "GPE"]],
        "cats": ["positive"],
        "meta": {"external_id": "talks-1", "paragraph_index": 0},
    },
    {
        "text": ARTICLE["paragraphs"][1],
        "label": [],
        "cats": ["neutral"],
        "meta": {"external_id": "talks-1", "paragraph_index": 1},
    },
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    articles, annotations = tmp_path / "articles.jsonl", tmp_path / "annotations.jsonl"
    articles.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [json.dumps(record, ensure_ascii=False) for record in ANNOTATIONS]
    annotations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return articles, annotations


@pytest.fixture
def settings(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's database, named to the console script as a user names it: ANNOTATOR_*."""
    for key in [k for k in __import__("os").environ if k.startswith("ANNOTATOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ANNOTATOR_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("ANNOTATOR_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", SECRET)
    add_user(app, "anna")
    return tmp_path / "instance"


def standalone_import(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert standalone.run(["import", *argv]), f"{argv} went to the Flask command"
    return capsys.readouterr().out


def flask_import(app: Flask, argv: list[str]) -> str:
    result = app.test_cli_runner().invoke(args=["import", *argv])
    assert result.exit_code == 0, result.output
    return result.output


def stored(app: Flask) -> list[tuple[Any, ...]]:
    """Every article, paragraph and annotation, by what they are rather than by their ids."""
    with app.app_context():
        query = (
            select(Article.external_id, Paragraph.position, Paragraph.text)
            .add_columns(Annotation.layer, Annotation.start, Annotation.end, Annotation.label)
            .add_columns(Annotation.source, Annotation.version, Annotation.is_gold)
            .join(Paragraph, Paragraph.article_id == Article.id)
            .outerjoin(Annotation, Annotation.paragraph_id == Paragraph.id)
            .order_by(Paragraph.position, Annotation.layer, Annotation.start)
        )
        return [tuple(row) for row in db.session.execute(query)]


def test_it_stores_and_says_what_the_flask_command_does(
    app: Flask, settings: Path, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    articles, annotations = map(str, files)
    said = standalone_import([articles], capsys)
    said += standalone_import([annotations, "--as-annotator", "anna"], capsys)
    ours = stored(app)
    assert ("talks-1", 0, ARTICLE["paragraphs"][0], "entity", 14, 16, "PERSON") == ours[1][:7]
    assert len(ours) == 5  # three entities and a sentiment, then a sentiment

    with app.app_context():
        empty_database()
        ensure_default_project(db.session)
        db.session.commit()
    add_user(app, "anna")
    expected = flask_import(app, [articles])
    expected += flask_import(app, [annotations, "--as-annotator", "anna"])
    assert said == expected
    assert ours == stored(app)


def test_a_bad_line_is_one_line_and_leaves_nothing(
    app: Flask,
    settings: Path,
    files: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    articles, annotations = files
    standalone_import([str(articles)], capsys)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(annotations.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        standalone.run(["import", str(bad), "--as-annotator", "anna"])
    assert exited.value.code == 1
    assert capsys.readouterr().err.startswith(f"Error: {bad}, line 3: invalid JSON")
    with app.app_context():
        assert db.session.scalars(select(Annotation)).all() == []


def test_a_database_without_its_schema_is_one_line(
    tmp_path: Path,
    files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ANNOTATOR_INSTANCE_PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("ANNOTATOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("ANNOTATOR_SECRET_KEY", SECRET)
    with pytest.raises(SystemExit) as exited:
        standalone.run(["import", str(files[0])])
    assert exited.value.code == 1
    assert "has no schema yet: run `annotator db upgrade`." in capsys.readouterr().err


def test_new_articles_in_a_project_with_a_pipeline_queue_its_suggestions(
    app: Flask, settings: Path, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with app.app_context():
        project = db.session.scalars(select(Project)).one()
        project.settings = {**(project.settings or {}), "pipeline": "en_core_web_sm"}
        db.session.commit()
    said = standalone_import([str(files[0])], capsys)
    with app.app_context():
        job = db.session.scalars(select(PipelineJob)).one()
    assert f"Queued model suggestions for the new articles (job {job.id})." in said
    assert (job.reason, job.status) == ("import", "queued")


@pytest.mark.parametrize(
    "argv",
    [
        ["import"],
        ["import", "--help"],
        ["import", "a.jsonl", "--as-predictions", "model"],
        ["import", "a.jsonl", "--project"],
        ["import", "a.jsonl", "--unknown", "x"],
        ["export", "a.jsonl"],
    ],
)
def test_anything_else_goes_to_the_flask_command(argv: list[str]) -> None:
    assert not standalone.run(argv)


def test_the_console_script_imports_without_flask(tmp_path: Path, files: tuple[Path, Path]) -> None:
    instance = tmp_path / "instance"
    env = {"ANNOTATOR_INSTANCE_PATH": str(instance), "ANNOTATOR_SECRET_KEY": SECRET}
    script = (
        "import sys\n"
        "from annotator.cli import main\n"
        "for argv in (['db', 'upgrade'], ['import', sys.argv[1]]):\n"
        "    sys.argv = ['annotator', *argv]\n"
        "    main()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(files[0])],
        env={**env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Imported 1 article(s) into 'default'" in done.stdout
    assert done.stdout.rstrip().endswith("[]"), done.stdout
