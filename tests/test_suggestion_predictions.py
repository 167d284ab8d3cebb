"""`annotator import FILE --as-predictions NAME`: doccano, spaCy or native JSONL become
suggestions (source import:NAME) for everyone, all or nothing, malformed lines named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Annotation, Suggestion
from tests.api_helpers import api_for
from tests.conftest import Auth, import_text

TEXT = "😀 Wang Yi met 𠀋 Cho in Seoul."


def doccano(*records: dict[str, Any]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def stored(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(Suggestion).order_by(Suggestion.start)).all()
        return [(s.source, s.label, s.text) for s in rows]


def write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_doccano_predictions_become_suggestions_not_annotations(
    app: Flask, users: dict[str, int], runner: Any, tmp_path: Path
) -> None:
    import_text(app, "emoji.txt", f"Emoji\n{TEXT}\n")
    # doccano counts UTF-16 units: "Wang Yi" is 3-10, "Seoul" 25-30 (code points 2-9, 23-28).
    path = write(
        tmp_path,
        "ner.jsonl",
        doccano({"text": TEXT, "label": [[3, 10, "PERSON"], [25, 30, "GPE"]]}),
    )

    result = runner.invoke(args=["import", path, "--as-predictions", "ner-v2"])

    assert result.exit_code == 0, result.output
    assert "2 suggestion(s) (import:ner-v2) in 1 paragraph(s)" in result.output
    assert stored(app) == [
        ("import:ner-v2", "PERSON", "Wang Yi"),
        ("import:ner-v2", "GPE", "Seoul"),
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Annotation)) == 0
    again = runner.invoke(args=["import", path, "--as-predictions", "ner-v2"])
    assert again.exit_code == 0 and len(stored(app)) == 2  # the same file replaces, not adds


def test_spacy_predictions_with_a_sentiment(
    app: Flask, users: dict[str, int], runner: Any, tmp_path: Path
) -> None:
    import_text(app, "emoji.txt", f"Emoji\n{TEXT}\n")
    record = {"text": TEXT, "spans": [{"start": 2, "end": 9, "label": "PERSON"}]}
    record["cats"] = {"positive": 1.0, "negative": 0.0}
    path = write(tmp_path, "spacy.jsonl", json.dumps(record, ensure_ascii=False) + "\n")

    result = runner.invoke(args=["import", path, "--as-predictions", "senti"])

    assert result.exit_code == 0, result.output
    assert ("import:senti", "PERSON", "Wang Yi") in stored(app)


def test_a_bad_line_names_it_and_stores_nothing(
    app: Flask, users: dict[str, int], runner: Any, tmp_path: Path
) -> None:
    import_text(app, "emoji.txt", f"Emoji\n{TEXT}\n")
    good = {"text": TEXT, "label": [[3, 10, "PERSON"]]}
    path = write(
        tmp_path,
        "ner.jsonl",
        doccano(good, {"text": TEXT, "label": [[25, 30, "KINGDOM"]]}) + "{broken\n",
    )

    result = runner.invoke(args=["import", path, "--as-predictions", "ner"])

    assert result.exit_code != 0
    assert "ner.jsonl, line" in result.output and "nothing was imported" in result.output
    assert stored(app) == []


def test_an_unknown_label_is_named_with_its_line(
    app: Flask, users: dict[str, int], runner: Any, tmp_path: Path
) -> None:
    import_text(app, "emoji.txt", f"Emoji\n{TEXT}\n")
    path = write(tmp_path, "ner.jsonl", doccano({"text": TEXT, "label": [[25, 30, "KINGDOM"]]}))

    result = runner.invoke(args=["import", path, "--as-predictions", "ner"])

    assert result.exit_code != 0
    assert "ner.jsonl, line 1: label: label 'KINGDOM' is not an entity label" in result.output
    assert stored(app) == []


def test_predictions_and_an_annotator_exclude_each_other(runner: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "ner.jsonl", doccano({"text": TEXT, "label": []}))
    result = runner.invoke(
        args=["import", path, "--as-predictions", "ner", "--as-annotator", "anna"]
    )
    assert result.exit_code != 0 and "exclude each other" in result.output


def test_imported_predictions_are_offered_to_every_annotator(
    app: Flask, client: FlaskClient, auth: Auth, runner: Any, tmp_path: Path
) -> None:
    article = import_text(app, "emoji.txt", f"Emoji\n{TEXT}\n")
    path = write(tmp_path, "ner.jsonl", doccano({"text": TEXT, "label": [[3, 10, "PERSON"]]}))
    assert runner.invoke(args=["import", path, "--as-predictions", "ner"]).exit_code == 0
    anna = api_for(client, auth, "anna")

    [ghost] = anna.get(f"/articles/{article}/suggestions").get_json()["suggestions"]
    accepted = anna.send("POST", f"/suggestions/{ghost['id']}/accept", {})

    assert (ghost["source"], ghost["text"]) == ("import:ner", "Wang Yi")
    assert accepted.get_json()["annotation"]["source"] == "import:ner"
