"""Corpus learning: a line that many articles of one source repeat becomes boilerplate at the
end of an import, in bulk, without ever hiding a paragraph that holds annotations."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from annotator.extensions import db
from annotator.ingest import ImportSummary, parse_jsonl_articles, store_articles
from annotator.models import BoilerplateRule, Paragraph, utcnow
from annotator.projects import ensure_default_project
from tests.admin_support import annotate, post, project
from tests.conftest import Auth
from tests.querycount import count_queries

FOOTER = "The Gazette is delivered free to 40,000 homes every Thursday."
STANDARDS = "The Gazette follows the Editors' Code of Practice."


def record(n: int, source: str = "Gazette", *extra: str) -> dict[str, Any]:
    """A distinct article of the source whose last two lines are the site's own footer."""
    body = [
        f"Story {n}: the council met on day {n} and voted on item {n}.",
        f"Councillors debated item {n} for {n + 40} minutes before a vote; residents who had "
        f"come to watch from the public gallery said the outcome on item {n} surprised them.",
        *extra,
    ]
    return {"title": f"Story {n}", "paragraphs": [*body, FOOTER, STANDARDS], "source": source}


def jsonl(*records: dict[str, Any]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def store(app: Flask, *records: dict[str, Any]) -> ImportSummary:
    with app.app_context():
        project = ensure_default_project(db.session)
        summary = store_articles(
            db.session, project, parse_jsonl_articles("f.jsonl", jsonl(*records))
        )
        db.session.commit()
        return summary


def flags_by_text(app: Flask) -> dict[str, set[bool]]:
    with app.app_context():
        found: dict[str, set[bool]] = {}
        for text, flag in db.session.execute(select(Paragraph.text, Paragraph.is_boilerplate)):
            found.setdefault(text, set()).add(flag)
        return found


def test_a_footer_becomes_boilerplate_once_the_third_article_of_its_source_arrives(
    app: Flask,
) -> None:
    first = store(app, record(1), record(2))
    assert first.learned.flagged == 0
    assert flags_by_text(app)[FOOTER] == {False}  # no rule knows this footer
    third = store(app, record(3))
    assert third.learned.flagged == 6  # both lines, in all three articles, old ones too
    assert flags_by_text(app)[FOOTER] == {True}
    assert flags_by_text(app)[STANDARDS] == {True}
    assert flags_by_text(app)["Story 1: the council met on day 1 and voted on item 1."] == {False}


def test_whitespace_differences_do_not_hide_a_repeat(app: Flask) -> None:
    spaced = record(3)
    spaced["paragraphs"][-2] = FOOTER.replace(" ", "  ") + "\t"
    store(app, record(1), record(2), spaced)
    assert flags_by_text(app)[FOOTER.replace(" ", "  ") + "\t"] == {True}


def test_repeats_count_within_one_source_only(app: Flask) -> None:
    store(app, record(1), record(2), record(3, "Courier"), record(4, None))  # type: ignore[arg-type]
    assert flags_by_text(app)[FOOTER] == {False}
    store(app, record(5, "Courier"), record(6, "Courier"))
    with app.app_context():
        rows = db.session.execute(
            select(Paragraph.is_boilerplate).where(Paragraph.text == FOOTER)
        ).scalars()
        assert sorted(rows) == [False, False, False, True, True, True]  # the Courier's three


def test_a_paragraph_with_annotations_is_kept_as_content_and_reported(
    app: Flask, users: dict[str, int]
) -> None:
    store(app, record(1), record(2))
    with app.app_context():
        first_article = db.session.scalar(select(Paragraph.article_id).order_by(Paragraph.id))
        assert first_article is not None
    annotate(app, first_article, "anna", "entity", "ORG", position=2)  # the footer line
    summary = store(app, record(3))
    with app.app_context():
        kept = db.session.scalar(
            select(Paragraph).where(Paragraph.article_id == first_article, Paragraph.position == 2)
        )
        assert kept is not None and not kept.is_boilerplate
        assert summary.learned.kept_annotated == [kept.id]
    assert summary.learned.flagged == 5


def test_a_flag_an_admin_set_by_hand_is_not_overridden(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    store(app, record(1), record(2))
    with app.app_context():
        footer_id = db.session.scalar(select(Paragraph.id).where(Paragraph.text == FOOTER))
    url = f"/admin/projects/default/paragraphs/{footer_id}/boilerplate"
    post(auth.client, url, {"boilerplate": "1"})
    assert post(auth.client, url, {"boilerplate": "0"}).status_code == 302  # content, by hand
    assert store(app, record(3)).learned.flagged == 5
    with app.app_context():
        assert db.session.get(Paragraph, footer_id).is_boilerplate is False  # type: ignore[union-attr]


def test_a_project_rule_that_says_content_has_the_last_word(app: Flask) -> None:
    with app.app_context():
        project = ensure_default_project(db.session)
        rule = BoilerplateRule(
            project_id=project.id, kind="exact", pattern=FOOTER, makes_boilerplate=False
        )
        rule.applied_at = utcnow()
        db.session.add(rule)
        db.session.commit()
    assert store(app, record(1), record(2), record(3)).learned.flagged == 3  # STANDARDS only
    assert flags_by_text(app)[FOOTER] == {False}
    assert flags_by_text(app)[STANDARDS] == {True}


def test_flags_are_written_in_one_update_per_batch(app: Flask) -> None:
    store(app, *(record(n) for n in range(1, 30)))  # 58 footer lines learned
    with app.app_context():
        project = ensure_default_project(db.session)
        drafts = parse_jsonl_articles("f.jsonl", jsonl(record(30)))
        with count_queries(db.engine) as statements:
            summary = store_articles(db.session, project, drafts)
        db.session.commit()
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE PARAGRAPH")]
    assert summary.learned.flagged == 2  # the new article's two footer lines
    assert len(updates) == 1


def test_the_threshold_is_a_project_setting_applied_when_saved(app: Flask, auth: Auth) -> None:
    store(app, record(1), record(2))
    assert flags_by_text(app)[FOOTER] == {False}
    auth.login("admin")
    page = auth.client.get("/admin/projects/default/edit").get_data(as_text=True)
    assert 'name="boilerplate_min_articles"' in page and 'value="3"' in page
    form = _project_form(app, page, boilerplate_min_articles="1")
    refused = post(auth.client, "/admin/projects/default/edit", form)
    assert refused.status_code == 400
    assert "use 0 (off) or 2+" in refused.get_data(as_text=True)
    saved = post(
        auth.client, "/admin/projects/default/edit", {**form, "boilerplate_min_articles": "2"}
    )
    assert saved.status_code == 302
    page = auth.client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Corpus learning: 4 paragraph(s) marked as boilerplate" in page
    assert flags_by_text(app)[FOOTER] == {True}
    assert project(app).settings["boilerplate_min_articles"] == 2


def test_versions_of_one_story_do_not_make_the_story_boilerplate(app: Flask) -> None:
    story = record(1)
    versions = [
        {**story, "title": f"Story, version {v}", "paragraphs": [*story["paragraphs"], f"v{v}"]}
        for v in range(1, 5)
    ]
    assert store(app, *versions).learned.flagged == 0
    assert flags_by_text(app)[story["paragraphs"][1]] == {False}


def test_zero_turns_learning_off(app: Flask) -> None:
    with app.app_context():
        default = ensure_default_project(db.session)
        default.settings = {**default.settings, "boilerplate_min_articles": 0}
        db.session.commit()
    assert store(app, record(1), record(2), record(3)).learned.flagged == 0
    assert flags_by_text(app)[FOOTER] == {False}


def test_the_cli_and_the_import_page_say_what_learning_changed(
    app: Flask, auth: Auth, runner: Any, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(jsonl(record(1), record(2), record(3)))
    result = runner.invoke(args=["import", str(feed)])
    assert result.exit_code == 0, result.output
    assert "Corpus learning: 6 paragraph(s) marked as boilerplate" in result.output
    auth.login("admin")
    data = {"files": [(io.BytesIO(jsonl(record(4))), "more.jsonl")]}
    page = post(
        auth.client, "/admin/projects/default/import", data, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "more paragraphs marked as boilerplate by corpus learning" in page


def _project_form(app: Flask, page: str, **changes: str) -> dict[str, str]:
    from tests.test_admin_projects import revision_on

    default = project(app)
    return {
        "name": default.name,
        "slug": default.slug,
        "description": default.description,
        "guidelines": default.guidelines,
        "snap_to_words": "y",
        "overlap": "1",
        "revision": revision_on(page),
        **changes,
    }
