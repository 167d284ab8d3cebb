"""The `annotator` command group, driven through Flask's CLI runner."""

import json
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Article, Paragraph, Project, User
from tests.conftest import SEEDS


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_db_upgrade_is_repeatable_and_keeps_one_default_project(app: Flask, runner) -> None:
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "default project: default" in result.output
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert count(app, Project) == 1
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project is not None
        labels = [label["name"] for label in project.label_schema["entities"]]
        assert labels[:3] == ["PERSON", "NORP", "ORG"]
        assert [label["key"] for label in project.label_schema["entities"]][-1] == "0"
        assert project.label_schema["sentiment"] == ["negative", "neutral", "positive", "mixed"]


def test_user_create_with_generated_password_prints_it_once(app: Flask, runner) -> None:
    result = runner.invoke(args=["user", "create", "Carol", "--role", "admin", "--generate"])
    assert result.exit_code == 0, result.output
    assert "Created admin 'Carol'" in result.output
    assert "Password (shown once):" in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user is not None and user.role == "admin" and user.username_key == "carol"


def test_user_create_prompts_for_the_password(app: Flask, runner) -> None:
    result = runner.invoke(args=["user", "create", "dan"], input="s3cret-enough\ns3cret-enough\n")
    assert result.exit_code == 0, result.output
    assert "s3cret-enough" not in result.output


def test_user_create_refuses_a_name_that_exists_in_another_case(app: Flask, runner) -> None:
    runner.invoke(args=["user", "create", "erin", "--generate"])
    result = runner.invoke(args=["user", "create", "ERIN", "--generate"])
    assert result.exit_code != 0
    assert "exists already" in result.output
    assert count(app, User) == 1


def test_ensure_admin_creates_once_then_says_how_to_log_in(app: Flask, runner) -> None:
    first = runner.invoke(args=["user", "ensure-admin"])
    assert "password:" in first.output and "http://127.0.0.1:5000/login" in first.output
    second = runner.invoke(args=["user", "ensure-admin"])
    assert second.exit_code == 0
    assert "password:" not in second.output
    assert "set-password admin --generate" in second.output
    assert count(app, User) == 1


def test_import_folder_of_seeds_then_again_is_a_no_op(app: Flask, runner) -> None:
    first = runner.invoke(args=["import", str(SEEDS)])
    assert first.exit_code == 0, first.output
    assert "Imported 1 article(s)" in first.output
    assert "17 marked as boilerplate" in first.output
    second = runner.invoke(args=["import", str(SEEDS)])
    assert "Imported 0 article(s)" in second.output and "1 already present" in second.output
    assert count(app, Article) == 1


def test_import_with_one_bad_line_writes_nothing(app: Flask, runner, tmp_path: Path) -> None:
    good = tmp_path / "a_good.txt"
    good.write_text("Good title\nA paragraph.\n", encoding="utf-8")
    bad = tmp_path / "b_bad.jsonl"
    lines = [json.dumps({"title": "Fine", "text": "ok"}), '{"title": "Broken", "text": ']
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(args=["import", str(good), str(bad)])
    assert result.exit_code == 1
    assert "b_bad.jsonl, line 2: invalid JSON" in result.output
    assert "nothing was imported" in result.output
    assert count(app, Article) == 0
    assert count(app, Paragraph) == 0


def test_import_into_an_unknown_project_fails(runner) -> None:
    result = runner.invoke(args=["import", str(SEEDS), "--project", "nope"])
    assert result.exit_code != 0
    assert "No project with slug 'nope'" in result.output


def test_import_of_a_missing_path_fails_clearly(runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import", str(tmp_path / "missing.txt")])
    assert result.exit_code != 0
    assert "no such file or folder" in result.output


def test_import_of_a_folder_with_nothing_to_import_fails_clearly(runner, tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path}: the folder holds no file to import (.htm, .html" in result.output


def test_a_json_file_that_is_not_an_array_of_tasks_says_what_a_json_file_must_be(
    runner, tmp_path: Path
) -> None:
    path = tmp_path / "task.json"
    path.write_text('{"data": {"text": "Wang Yi met Cho."}, "annotations": []}', encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "read as a Label Studio export: one JSON array of tasks" in result.output
