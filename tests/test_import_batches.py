"""Bulk import writes a batch of records with a few statements, not a few per record, and
stays all or nothing across batches (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from annotator import loading
from annotator.annotations import files as annotation_files
from annotator.annotations import importer
from annotator.extensions import db
from annotator.models import Annotation, AnnotationEvent, ArticleStatus
from tests.conftest import Auth
from tests.querycount import count_queries
from tests.test_export_formats import export
from tests.test_export_support import annotate_seed, jsonl_lines
from tests.test_import_annotations import fresh_instance, without_ids

ARTICLES = 30
PARAGRAPHS = 4
WORDS = "Anna Lindqvist met officials of Acme Corp in Oslo on Monday"


def _articles(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for a in range(ARTICLES):
            paragraphs = [f"{WORDS}, said report {a}-{p}." for p in range(PARAGRAPHS)]
            record = {"title": f"Article {a}", "external_id": f"ext-{a}", "paragraphs": paragraphs}
            out.write(json.dumps(record) + "\n")
    return path


def _doccano(path: Path, broken_line: int | None = None) -> Path:
    """Two entities and a sentiment per paragraph; `broken_line` gets overlapping spans."""
    with path.open("w", encoding="utf-8") as out:
        line = 0
        for a in range(ARTICLES):
            for p in range(PARAGRAPHS):
                line += 1
                spans: list[list[Any]] = [[0, 14, "PERSON"], [33, 42, "ORG"]]
                if line == broken_line:
                    spans.append([5, 20, "ORG"])
                meta = {"external_id": f"ext-{a}", "paragraph_index": p}
                record = {
                    "text": f"{WORDS}, said report {a}-{p}.",
                    "label": spans,
                    "cats": ["positive"],
                    "meta": meta,
                }
                out.write(json.dumps(record) + "\n")
    return path


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(  # type: ignore[return-value]
            db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Annotation, AnnotationEvent, ArticleStatus)
        )


@pytest.fixture
def articles(app: Flask, runner: Any, users: dict[str, int], tmp_path: Path) -> Path:
    result = runner.invoke(args=["import", str(_articles(tmp_path / "articles.jsonl"))])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_an_import_sends_a_few_statements_per_batch_not_per_record(
    app: Flask, runner: Any, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH", 50)  # 120 records: three batches
    path = _doccano(articles / "ann.jsonl")

    with app.app_context(), count_queries(db.engine) as statements:
        result = runner.invoke(args=["import", str(path), "--as-annotator", "anna"])

    assert result.exit_code == 0, result.output
    records = ARTICLES * PARAGRAPHS
    assert _counts(app) == (3 * records, 3 * records, ARTICLES)
    writes = [s for s in statements if not s.lstrip().upper().startswith("SELECT")]
    # A statement per record would be 360 or more: here 13 per batch of 50 records, of which
    # 7 write: the status claims, the annotations (spans and sentiments apart: each leaves out
    # the columns its rows hold no value in) and their history, each as blocks of rows per
    # statement (one executemany of the whole blocks, one for the rest), and the lines the
    # batch's records came from (read back by later batches); plus the temporary table that
    # holds those lines, created (after dropping any left over) and dropped.
    assert len(statements) <= 3 * 13 + 5, len(statements)
    assert len(writes) <= 3 * 7 + 3, writes
    assert all(w.count("), (") for w in writes if w.lstrip().startswith("INSERT INTO annotation"))


def test_history_and_status_match_what_a_record_at_a_time_wrote(
    app: Flask, runner: Any, articles: Path
) -> None:
    path = _doccano(articles / "ann.jsonl")
    assert runner.invoke(args=["import", str(path), "--as-annotator", "anna"]).exit_code == 0

    with app.app_context():
        events = list(db.session.scalars(select(AnnotationEvent).order_by(AnnotationEvent.id)))
        rows = {a.id: a for a in db.session.scalars(select(Annotation))}
        statuses = {s.status for s in db.session.scalars(select(ArticleStatus))}
        for event in events:
            stored = rows[event.annotation_id]
            assert event.action == "create" and event.before is None
            assert event.after is not None and event.after["id"] == stored.id
            assert (event.after["start"], event.after["label"]) == (stored.start, stored.label)
            assert event.after["source"] == stored.source == "import"
    assert statuses == {"in_progress"}


def test_a_problem_in_a_later_batch_leaves_nothing_of_the_earlier_ones(
    app: Flask, runner: Any, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH", 50)
    path = _doccano(articles / "ann.jsonl", broken_line=110)

    result = runner.invoke(args=["import", str(path), "--as-annotator", "anna"])

    assert result.exit_code != 0
    assert "line 110" in result.output and "nothing was imported" in result.output
    assert _counts(app) == (0, 0, 0)


def test_a_long_import_shows_a_progress_bar(
    app: Flask, runner: Any, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(annotation_files, "PROGRESS_FROM", 100)
    path = _doccano(articles / "ann.jsonl")

    result = runner.invoke(args=["import", str(path), "--as-annotator", "anna"])

    assert result.exit_code == 0, result.output
    assert "Importing ann.jsonl" in result.stderr


def _export_native(app: Flask) -> list[dict[str, Any]]:
    client = app.test_client()
    Auth(client).login("admin")
    return jsonl_lines(export(client, by="paragraph").data)


def _claim_naming_an_entity_of_paragraph_0(records: list[dict[str, Any]]) -> None:
    """anna's first claim in paragraph 7 names her first entity of paragraph 0: a scope
    that spans records, and so batches of one or two records."""
    first = next(r for r in records if r["annotator"] == "anna" and r["paragraph_index"] == 0)
    later = next(r for r in records if r["annotator"] == "anna" and r["paragraph_index"] == 7)
    later["claims"][0]["claimant"] = {"entity_id": first["entities"][0]["id"], "text": ""}


@pytest.mark.parametrize("batch", [1, 2])
def test_the_rows_are_the_same_wherever_a_batch_ends(
    app: Flask,
    runner: Any,
    users: dict[str, int],
    seed_article: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
) -> None:
    """An article's records may fall into several batches: what a later batch checks
    against (a claimant named in an earlier one) and the rows it writes do not depend on
    where the batches end."""
    annotate_seed(app, seed_article)
    records = _export_native(app)
    _claim_naming_an_entity_of_paragraph_0(records)
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    imported = {}
    for size in (importer.BATCH, batch):
        fresh_instance(app)
        monkeypatch.setattr(importer, "BATCH", size)
        result = runner.invoke(args=["import", str(path)])
        assert result.exit_code == 0, result.output
        imported[size] = without_ids(_export_native(app))

    assert imported[batch] == imported[importer.BATCH]
    claim = next(r for r in imported[batch] if r["paragraph_index"] == 7)["claims"][0]
    assert claim["claimant"]["entity_id"] == ["anna", 0, 1, 10]  # the ORG span of paragraph 0
    assert claim["claimant"]["text"] == records[0]["text"][1:10]


def test_a_later_batch_cannot_name_an_entity_of_another_article(
    app: Flask,
    runner: Any,
    users: dict[str, int],
    seed_article: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    annotate_seed(app, seed_article)
    records = _export_native(app)
    _claim_naming_an_entity_of_paragraph_0(records)
    later = next(r for r in records if r["annotator"] == "anna" and r["paragraph_index"] == 7)
    later["claims"][0]["claimant"]["entity_id"] = 999_999
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    fresh_instance(app)
    monkeypatch.setattr(importer, "BATCH", 1)

    result = runner.invoke(args=["import", str(path)])

    assert result.exit_code != 0
    assert "attributes.claimant.entity_id" in result.output, result.output
    assert "nothing was imported" in result.output
    assert _counts(app) == (0, 0, 0)


def _with_repeat(path: Path, repeat_of: int) -> Path:
    """The file again, with line `repeat_of` written once more at its end."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines) + lines[repeat_of - 1], encoding="utf-8")
    return path


@pytest.mark.parametrize("batch", [50, 1000])
def test_a_paragraph_named_twice_for_one_person_is_refused_naming_both_lines(
    app: Flask, runner: Any, articles: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Whether the two records fall in one batch or in batches far apart (the first lines
    are remembered in the database, not in the process), the second is refused."""
    monkeypatch.setattr(importer, "BATCH", batch)
    path = _with_repeat(_doccano(articles / "ann.jsonl"), repeat_of=7)

    result = runner.invoke(args=["import", str(path), "--as-annotator", "anna"])

    assert result.exit_code != 0
    assert "line 121" in result.output and "the same paragraph for anna as line 7" in result.output
    assert _counts(app) == (0, 0, 0)


def test_an_import_after_a_refused_one_starts_with_nothing_remembered(
    app: Flask, runner: Any, articles: Path
) -> None:
    refused = _with_repeat(_doccano(articles / "refused.jsonl"), repeat_of=7)
    assert runner.invoke(args=["import", str(refused), "--as-annotator", "anna"]).exit_code != 0

    result = runner.invoke(
        args=["import", str(_doccano(articles / "ann.jsonl")), "--as-annotator", "anna"]
    )

    assert result.exit_code == 0, result.output
    assert _counts(app)[0] == 3 * ARTICLES * PARAGRAPHS


def test_a_long_import_collects_its_garbage_every_few_batches_not_only_at_the_end(
    app: Flask, runner: Any, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the batches leave in cycles is collected as the import goes, so its memory
    follows the batch, not the file (annotator.loading.Collections)."""
    collected: list[int] = []
    monkeypatch.setattr(loading.gc, "collect", lambda *_: collected.append(1) or 0)
    monkeypatch.setattr(importer, "BATCH", 20)  # 120 records: six batches
    monkeypatch.setattr(importer, "COLLECT_EVERY", 2)

    result = runner.invoke(
        args=["import", str(_doccano(articles / "ann.jsonl")), "--as-annotator", "anna"]
    )

    assert result.exit_code == 0, result.output
    assert len(collected) == 3


@pytest.mark.parametrize("enabled_before", [True, False], ids=["collecting", "started-without"])
def test_a_load_collects_garbage_whether_or_not_its_command_started_collecting(
    enabled_before: bool,
) -> None:
    """`annotator import` starts with the collector off (annotator.cli.LOADING); the load
    itself runs with it on, frozen start and higher threshold, then leaves it as it was."""
    import gc

    was = gc.isenabled()
    (gc.enable if enabled_before else gc.disable)()
    try:
        with loading.bulk_load():
            assert gc.isenabled()
            assert gc.get_threshold()[0] == loading.LOADING_THRESHOLD
            assert gc.get_freeze_count() > 0
        assert gc.isenabled() is enabled_before
        assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()
