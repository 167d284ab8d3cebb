"""Annotations move in as well as out: native round trip, doccano and spaCy with line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from annotator.annotations.types import to_json
from annotator.extensions import db
from annotator.formats.registry import parse_annotations
from annotator.ingest import IngestError
from annotator.models import Annotation, AnnotationEvent, ArticleStatus, Paragraph
from annotator.projects import ensure_default_project
from tests.conftest import SEED, Auth, add_user, empty_database, import_text
from tests.test_export_formats import export
from tests.test_export_support import Seeded, annotate_seed, jsonl_lines


@pytest.fixture
def seeded(app: Flask, users: dict[str, int], seed_article: int) -> Seeded:
    return annotate_seed(app, seed_article)


def without_ids(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ids and times aside: entity ids become (annotator, paragraph, start, end)."""
    keys = {
        e["id"]: (r["annotator"], r["paragraph_index"], e["start"], e["end"])
        for r in records
        for e in r["entities"]
    }
    out = []
    for r in records:
        r = json.loads(json.dumps(r))
        r["article"].pop("id")
        r.pop("updated_at")
        for e in r["entities"]:
            e["id"] = keys[e["id"]]
        for c in r["claims"]:
            c.pop("id")
            if c["claimant"] and c["claimant"]["entity_id"] is not None:
                c["claimant"]["entity_id"] = keys[c["claimant"]["entity_id"]]
        for t in (r["sentiment"] or {}).get("targets", []):
            t["entity_id"] = keys[t["entity_id"]]
        out.append(json.loads(json.dumps(r)))
    return out


def fresh_instance(app: Flask) -> None:
    """An empty database with the same people and the seed article, no annotations."""
    with app.app_context():
        empty_database()
        ensure_default_project(db.session)
        db.session.commit()
    for name, role in [
        ("admin", "admin"),
        ("rita", "reviewer"),
        ("anna", "annotator"),
        ("bob", "annotator"),
    ]:
        add_user(app, name, role)
    import_text(app, SEED.name, SEED.read_text(encoding="utf-8"))


def annotation_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Annotation)) or 0


@pytest.mark.parametrize("by", ["paragraph", "article"])
def test_native_round_trip_gives_the_same_records(
    app: Flask, auth: Auth, seeded: Seeded, runner: Any, tmp_path: Path, by: str
) -> None:
    auth.login("admin")
    before = jsonl_lines(export(auth.client, by="paragraph").data)
    path = tmp_path / "export.jsonl"
    path.write_bytes(export(auth.client, by=by).data)
    fresh_instance(app)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 24 annotation(s)" in result.output
    client: FlaskClient = app.test_client()
    Auth(client).login("admin")
    after = jsonl_lines(export(client).data)
    assert without_ids(after) == without_ids(before)


def test_an_export_without_entities_names_none_and_imports_back(
    app: Flask, auth: Auth, seeded: Seeded, runner: Any, tmp_path: Path
) -> None:
    """Without the entity layer, claimants kept entity ids of entities not in the file (and
    sentiments their targets), so the file did not import back."""
    auth.login("admin")
    data = export(auth.client, layers="claim,sentiment").data
    records = jsonl_lines(data)
    claimants = [c["claimant"] for r in records for c in r["claims"] if c["claimant"]]
    assert claimants and all(c["entity_id"] is None and c["text"] for c in claimants)
    assert all(not (r["sentiment"] or {}).get("targets") for r in records)
    assert all(r["sentiment"] is None or r["sentiment"]["label"] for r in records)
    path = tmp_path / "claims.jsonl"
    path.write_bytes(data)
    fresh_instance(app)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output


def test_a_claimant_in_a_paragraph_left_out_is_named_by_text_only(
    app: Flask, auth: Auth, seeded: Seeded, runner: Any, tmp_path: Path
) -> None:
    """An entity in a boilerplate paragraph is left out of the default export; a claim that
    named it as claimant kept its id, which the file then did not hold."""
    with app.app_context():
        claim = db.session.scalar(select(Annotation).where(Annotation.label == "factual"))
        entity = db.session.get(Annotation, seeded.annotation_ids[0])  # ORG, paragraph 0
        assert claim is not None and entity is not None
        claimant = {"entity_id": entity.id, "text": "Bloomberg"}
        claim.attributes = {**claim.attributes, "claimant": claimant}
        entity.paragraph.is_boilerplate = True
        db.session.commit()
        entity_id = entity.id
    auth.login("admin")
    data = export(auth.client).data
    named = [
        c["claimant"] for r in jsonl_lines(data) for c in r["claims"] if c["type"] == "factual"
    ]
    assert named == [{"entity_id": None, "text": "Bloomberg"}]
    with_boilerplate = jsonl_lines(export(auth.client, boilerplate="true").data)
    claims = [c for r in with_boilerplate for c in r["claims"] if c["type"] == "factual"]
    assert claims[0]["claimant"]["entity_id"] == entity_id
    path = tmp_path / "content.jsonl"
    path.write_bytes(data)
    fresh_instance(app)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output


def test_import_writes_history_and_status(
    app: Flask, seeded: Seeded, auth: Auth, runner: Any, tmp_path: Path
) -> None:
    auth.login("admin")
    path = tmp_path / "export.jsonl"
    path.write_bytes(export(auth.client).data)
    fresh_instance(app)
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    with app.app_context():
        events = list(db.session.scalars(select(AnnotationEvent).order_by(AnnotationEvent.id)))
        rows = {a.id: a for a in db.session.scalars(select(Annotation))}
        assert len(events) == len(rows) == 24
        layers = {row.layer for row in rows.values()}
        assert layers == {"entity", "claim", "sentiment"}
        assert any(row.target_id for row in rows.values())  # a sentiment towards an entity
        for event in events:  # one create event per row, saying what to_json says of it
            row = rows[event.annotation_id]
            assert (event.action, event.before, event.user_id) == ("create", None, row.annotator_id)
            assert event.after == to_json(row)
            assert (event.paragraph_id, event.created_at) == (row.paragraph_id, row.created_at)
        statuses = {s.status for s in db.session.scalars(select(ArticleStatus))}
        assert statuses == {"done", "in_progress"}


def test_importing_twice_is_refused_and_changes_nothing(
    app: Flask, seeded: Seeded, auth: Auth, runner: Any, tmp_path: Path
) -> None:
    auth.login("admin")
    path = tmp_path / "export.jsonl"
    path.write_bytes(export(auth.client).data)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0
    assert "line 1: anna already has annotations in this paragraph" in result.output
    assert "nothing was imported" in result.output
    assert annotation_count(app) == 24


DOCCANO = (
    '{"text": "Wang pledged to work with South Korea to improve ties, according to a statement'
    " from China’s Foreign Ministry, and appeared to reference Beijing’s concern about"
    ' Seoul’s closer relations with Washington.", "label": [[0, 4, "PERSON"], [26, 37, "GPE"]],'
    ' "cats": ["positive"]}\n'
)


FIRST_LINE = (
    '{"text": "The trilateral summits have been on hold since 2019 due to the pandemic and'
    " political tensions. China has been feeling pressure as Japan and South Korea moved"
    " closer to Washington in recent years. The US and its two key allies in Asia have raised"
    " their security cooperation to some of the highest levels in decades, largely because"
    " of concern about North Korea’s behavior and China becoming more assertive militarily."
    '", "label": [[47, 51, "DATE"]]}\n'
)


def test_doccano_import_needs_and_uses_as_annotator(
    app: Flask, seeded: Seeded, runner: Any, tmp_path: Path
) -> None:
    path = tmp_path / "doccano.jsonl"
    path.write_text(DOCCANO, encoding="utf-8")
    refused = runner.invoke(args=["import", str(path)])
    assert refused.exit_code != 0 and "need --as-annotator NAME" in refused.output
    result = runner.invoke(args=["import", str(path), "--as-annotator", "rita"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = db.session.scalars(
            select(Annotation).where(Annotation.annotator_id == _id(app, "rita"))
        ).all()
        assert sorted((a.layer, a.label, a.start) for a in rows) == [
            ("entity", "GPE", 26),
            ("entity", "PERSON", 0),
            ("sentiment", "positive", None),
        ]


def test_doccano_offsets_are_read_as_utf16_units(
    app: Flask, users: dict[str, int], runner: Any, tmp_path: Path
) -> None:
    from tests.conftest import import_text

    import_text(app, "emoji.txt", "Emoji\n😀 Wang Yi met 𠀋 Cho.\n")
    text = "😀 Wang Yi met 𠀋 Cho."
    path = tmp_path / "doccano.jsonl"
    # In UTF-16 "Wang Yi" is 3-10 and "Cho" 18-21; in code points 2-9 and 16-19.
    path.write_text(json.dumps({"text": text, "label": [[3, 10, "PERSON"], [18, 21, "PERSON"]]}))
    result = runner.invoke(args=["import", str(path), "--as-annotator", "rita"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        spans = db.session.scalars(select(Annotation).order_by(Annotation.start)).all()
        assert [text[a.start : a.end] for a in spans] == ["Wang Yi", "Cho"]


def test_a_doccano_offset_inside_an_emoji_is_refused_with_its_line(
    app: Flask, users: dict[str, int], runner: Any, tmp_path: Path
) -> None:
    from tests.conftest import import_text

    import_text(app, "emoji.txt", "Emoji\n😀 Wang Yi\n")
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps({"text": "😀 Wang Yi", "label": [[1, 10, "PERSON"]]}))
    result = runner.invoke(args=["import", str(path), "--as-annotator", "rita"])
    assert result.exit_code != 0
    assert "doccano.jsonl, line 1" in result.output
    assert "do not fall on characters" in result.output


@pytest.mark.parametrize("key", ["external_id", "title"])
def test_a_record_naming_two_articles_is_refused_not_put_on_the_first(
    app: Flask, users: dict[str, int], runner: Any, tmp_path: Path, key: str
) -> None:
    """Two imports may store two articles of one external id (an updated story) or one
    title; a record naming that key cannot say which, and is refused with its line."""
    for version, text in enumerate(["Paris was quiet.", "Paris was loud."], 1):
        article = tmp_path / f"v{version}.jsonl"
        record = {"title": "Live updates", "external_id": "s1", "paragraphs": [text]}
        article.write_text(json.dumps(record) + "\n", encoding="utf-8")
        assert runner.invoke(args=["import", str(article)]).exit_code == 0
    meta = {"external_id": "s1"} if key == "external_id" else {"title": "Live updates"}
    line = {
        "text": "Paris was loud.",
        "label": [[0, 5, "GPE"]],
        "meta": meta | {"paragraph_index": 0},
    }
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--as-annotator", "rita"])
    assert result.exit_code != 0
    assert "doccano.jsonl, line 1" in result.output
    assert f"more than one article in project 'default' has {key}" in result.output
    assert annotation_count(app) == 0


def _id(app: Flask, name: str) -> int:
    from tests.conftest import get_user

    return get_user(app, name).id


def test_spacy_export_imports_back_as_another_annotator(
    app: Flask, seeded: Seeded, auth: Auth, runner: Any, tmp_path: Path
) -> None:
    auth.login("admin")
    path = tmp_path / "anna.spacy.jsonl"
    path.write_bytes(export(auth.client, format="spacy", annotator="anna").data)
    result = runner.invoke(args=["import", str(path), "--as-annotator", "rita"])
    assert result.exit_code == 0, result.output
    rita = jsonl_lines(export(auth.client, annotator="rita").data)
    anna = jsonl_lines(export(auth.client, annotator="anna").data)
    assert [[(e["start"], e["end"], e["label"]) for e in r["entities"]] for r in rita] == [
        [(e["start"], e["end"], e["label"]) for e in r["entities"]] for r in anna
    ]
    assert [(c["start"], c["type"]) for r in rita for c in r["claims"]] == [
        (0, "factual"),
        (205, "prediction"),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "Wang pledged", "label": [[0, 4, "PERSON"]]}', "no paragraph in project"),
        (
            DOCCANO.replace('"PERSON"', '"VILLAIN"'),
            "entity 'VILLAIN' [0, 4]: label: label 'VILLAIN' is not an entity label",
        ),
        (
            DOCCANO.replace("[0, 4,", "[0, 999,"),
            "entity 'PERSON' [0, 999]: end: offsets must satisfy",
        ),
        (
            DOCCANO.replace("[26, 37,", "[2, 37,"),
            "entity 'GPE' [2, 37]: start: overlaps your PERSON span 0-4",
        ),
        (
            DOCCANO.replace('"positive"', '"ecstatic"'),
            "sentiment 'ecstatic': label: label 'ecstatic' is not a sentiment",
        ),
        ("{not json", "invalid JSON"),
    ],
)
def test_bad_lines_are_reported_with_their_number_and_nothing_is_stored(
    app: Flask, seeded: Seeded, runner: Any, tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(FIRST_LINE + line.strip() + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--as-annotator", "rita"])
    assert result.exit_code != 0
    assert f"{path}, line 2: {message}" in result.output, result.output
    assert annotation_count(app) == 24


def test_native_span_text_must_match(
    app: Flask, seeded: Seeded, auth: Auth, runner: Any, tmp_path: Path
) -> None:
    auth.login("admin")
    records = jsonl_lines(export(auth.client, annotator="anna").data)
    records[0]["entities"][0]["text"] = "Bloomberg News"
    path = tmp_path / "edited.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    fresh_instance(app)
    result = runner.invoke(args=["import", str(path)])
    expected = "line 1: entity 'ORG' [1, 10]: text: text does not match the paragraph"
    assert expected in result.output
    assert annotation_count(app) == 0


def prodigy_line(text: str, answer: str, label: str = "GPE") -> str:
    start = text.index("South Korea")
    span = {"start": start, "end": start + 11, "label": label}
    return json.dumps({"text": text, "spans": [span], "answer": answer}) + "\n"


def test_prodigy_rejected_and_ignored_records_are_skipped_not_accepted(
    app: Flask, seeded: Seeded, runner: Any, tmp_path: Path
) -> None:
    with app.app_context():
        texts = [p.text for p in _paragraphs(app)][:3]
    answers = ["accept", "reject", "ignore"]
    data = "".join(prodigy_line(t, a) for t, a in zip(texts, answers, strict=True))
    parsed = parse_annotations("prodigy.jsonl", data.encode())
    assert [d.line for d in parsed.drafts] == [1]
    assert parsed.skipped == [(2, 'answer "reject"'), (3, 'answer "ignore"')]
    path = tmp_path / "prodigy.jsonl"
    path.write_text(data, encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--as-annotator", "rita"])
    assert result.exit_code == 0, result.output
    assert "Imported 1 annotation(s) in 1 paragraph record(s)" in result.output


def test_a_file_of_rejected_records_only_says_so(app: Flask, seeded: Seeded) -> None:
    with pytest.raises(IngestError, match=r"no annotation records in the file \(1 rejected"):
        parse_annotations("prodigy.jsonl", prodigy_line("South Korea", "reject").encode())


def test_an_unknown_prodigy_answer_is_refused_with_its_line(app: Flask, seeded: Seeded) -> None:
    with pytest.raises(IngestError, match="line 1: malformed spacy record .*'maybe'"):
        parse_annotations("prodigy.jsonl", prodigy_line("South Korea", "maybe").encode())


def _paragraphs(app: Flask) -> list[Any]:
    query = select(Paragraph).where(Paragraph.text.contains("South Korea"))
    return list(db.session.scalars(query.order_by(Paragraph.position)))


def test_a_label_studio_export_imports_back_for_the_annotators_it_names(
    app: Flask, seeded: Seeded, auth: Auth, runner: Any, tmp_path: Path
) -> None:
    auth.login("admin")
    before = jsonl_lines(export(auth.client, layers="entity,claim").data)
    path = tmp_path / "project-1-at-2024.json"
    path.write_bytes(export(auth.client, format="labelstudio", layers="entity,claim").data)
    fresh_instance(app)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 20 annotation(s) in 26 paragraph record(s) for anna, bob" in result.output
    client = app.test_client()
    Auth(client).login("admin")
    after = jsonl_lines(export(client).data)
    assert [unsourced(r) for r in without_ids(after)] == [unsourced(r) for r in without_ids(before)]


def unsourced(record: dict[str, Any]) -> dict[str, Any]:
    """What Label Studio does not carry: a person's provenance and the article status."""
    spans = [{k: v for k, v in s.items() if k != "source"} for s in record["claims"]]
    entities = [{k: v for k, v in s.items() if k != "source"} for s in record["entities"]]
    return {**record, "status": None, "entities": entities, "claims": spans}


PARIS = "Headline\nParis was quiet.\n"


def _ls_task(data: dict[str, Any], start: Any = 0) -> str:
    region = {
        "id": "r1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": 5, "text": "Paris", "labels": ["GPE"]},
    }
    return json.dumps([{"data": data, "annotations": [{"result": [region]}]}])


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        (
            "doccano.jsonl",
            json.dumps(
                {
                    "text": "Paris was quiet.",
                    "label": [[0, 5, "GPE"]],
                    "meta": {"title": "Headline", "paragraph_index": index},
                }
            ),
            "'paragraph_index' must be a whole number from 0",
        )
        for index in ([0], {"a": 1}, True, 0.0, -1, "0")
    ]
    + [
        (
            "tasks.json",
            _ls_task({"text": "Paris was quiet.", "title": "Headline", "paragraph_index": [0]}),
            "'paragraph_index' must be a whole number from 0",
        ),
        (
            "tasks.json",
            _ls_task({"text": "Paris was quiet.", "n": 0}).replace('"n": 0', '"n": ' + "9" * 4400),
            "a number too long to read",
        ),
        ("tasks.json", _ls_task({"text": "Paris was quiet."}).replace("0, ", "NaN, "), "NaN"),
        ("doccano.jsonl", '{"text": "Paris was quiet.", "n": ' + "9" * 4400 + "}", "too long"),
    ],
)
def test_odd_values_are_refused_with_file_and_line(
    app: Flask,
    users: dict[str, int],
    runner: Any,
    tmp_path: Path,
    name: str,
    content: str,
    problem: str,
) -> None:
    """Each of these was a traceback, or (true, 0.0) read as a paragraph index."""
    import_text(app, "paris.txt", PARIS)
    path = tmp_path / name
    path.write_text(content + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--as-annotator", "rita"])
    assert result.exit_code != 0
    assert f"{name}, line 1" in result.output and problem in result.output, result.output
    assert "Traceback" not in result.output
    assert annotation_count(app) == 0


@pytest.mark.parametrize("start", [0.0, "0", None])
def test_predictions_with_offsets_that_are_not_whole_numbers_are_refused(
    app: Flask, users: dict[str, int], runner: Any, tmp_path: Path, start: Any
) -> None:
    import_text(app, "paris.txt", PARIS)
    path = tmp_path / "tasks.json"
    path.write_text(_ls_task({"text": "Paris was quiet."}, start), encoding="utf-8")
    result = runner.invoke(args=["import", str(path), "--as-predictions", "model"])
    assert result.exit_code != 0
    assert "tasks.json, line 1" in result.output, result.output
    assert "Traceback" not in result.output
