"""Who may export what, the filters, and how the file is delivered (streamed, named)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from annotator.extensions import db
from annotator.models import Project
from tests.conftest import Auth
from tests.test_export_formats import export
from tests.test_export_support import Seeded, annotate_seed, jsonl_lines


@pytest.fixture
def seeded(app: Flask, users: dict[str, int], seed_article: int) -> Seeded:
    return annotate_seed(app, seed_article)


def annotators_in(data: bytes) -> set[str]:
    return {r["annotator"] for r in jsonl_lines(data)}


def test_export_streams_a_named_attachment(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    response = auth.client.get("/projects/default/export")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="default-') and disposition.endswith(
        '.jsonl"'
    )
    assert len(jsonl_lines(response.data)) == 26


def test_a_slug_stored_with_a_newline_still_names_a_clean_file(
    app: Flask, auth: Auth, seeded: Seeded
) -> None:
    """Slugs are checked to their end now; one stored before that must not break the header."""
    with app.app_context():
        db.session.execute(update(Project).values(slug='old"\n'))
        db.session.commit()
    auth.login("admin")
    response = auth.client.get("/projects/old%22%0A/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="old--')
    assert len(jsonl_lines(response.data)) == 26


def test_export_needs_login(client: FlaskClient, seeded: Seeded) -> None:
    response = client.get("/projects/default/export")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_unknown_project_is_404(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    assert auth.client.get("/projects/nope/export").status_code == 404


@pytest.mark.parametrize("who", ["admin", "rita"])
def test_admins_and_reviewers_export_everyone(auth: Auth, seeded: Seeded, who: str) -> None:
    auth.login(who)
    assert annotators_in(export(auth.client).data) == {"anna", "bob"}


def test_an_annotator_gets_only_their_own_work(auth: Auth, seeded: Seeded) -> None:
    auth.login("bob")
    assert annotators_in(export(auth.client).data) == {"bob"}
    assert annotators_in(export(auth.client, annotator="BOB").data) == {"bob"}


def test_an_annotator_asking_for_others_is_refused(auth: Auth, seeded: Seeded) -> None:
    auth.login("bob")
    response = auth.client.get("/projects/default/export?annotator=anna")
    assert response.status_code == 403
    assert auth.client.get("/projects/default/export?gold=true").status_code == 403


def test_annotator_filter_selects_people(auth: Auth, seeded: Seeded) -> None:
    auth.login("rita")
    assert annotators_in(export(auth.client, annotator="anna").data) == {"anna"}
    both = export(auth.client, annotator="anna,bob").data
    assert annotators_in(both) == {"anna", "bob"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({"layers": "entity,mood"}, "layers"),
        ({"since": "yesterday"}, "since"),
        ({"annotator": "nobody"}, "annotator"),
        ({"boilerplate": "maybe"}, "boilerplate"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(
    auth: Auth, seeded: Seeded, params: dict[str, str], field: str
) -> None:
    auth.login("admin")
    response = auth.client.get(
        "/projects/default/export", query_string=params, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json is not None and response.json["error"]["field"] == field


def test_status_done_keeps_only_finished_work(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    assert annotators_in(export(auth.client, status="done").data) == {"anna"}


def test_layers_filter_drops_other_layers(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    records = jsonl_lines(export(auth.client, layers="claim", annotator="anna").data)
    assert sum(len(r["claims"]) for r in records) == 2
    assert all(not r["entities"] and r["sentiment"] is None for r in records)


def test_boilerplate_is_left_out_unless_asked_for(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    assert len(jsonl_lines(export(auth.client, annotator="anna").data)) == 13
    with_boilerplate = jsonl_lines(export(auth.client, annotator="anna", boilerplate="1").data)
    assert len(with_boilerplate) == 30
    assert sum(r["boilerplate"] for r in with_boilerplate) == 17


def test_date_range_keeps_records_changed_in_it(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    today = jsonl_lines(export(auth.client, since="2000-01-01").data)
    assert {(r["annotator"], r["paragraph_index"]) for r in today} == {
        ("anna", 0),
        ("bob", 0),
        ("anna", 7),
    }
    assert jsonl_lines(export(auth.client, until="2000-01-01").data) == []


def set_review_status(article_id: int, status: str) -> None:
    from annotator.extensions import db
    from annotator.models import ArticleReview

    review = db.session.get(ArticleReview, article_id)
    assert review is not None
    review.status = status
    db.session.commit()


def test_gold_only_is_empty_before_adjudication(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    assert jsonl_lines(export(auth.client, gold="true").data) == []


def test_gold_records_have_no_annotator(app: Flask, auth: Auth, seeded: Seeded) -> None:
    from annotator.extensions import db
    from annotator.models import Annotation
    from tests.gold_support import set_review

    with app.app_context():
        db.session.get(Annotation, seeded.annotation_ids[0]).is_gold = True  # type: ignore[union-attr]
        set_review(seeded.article_id, "in_review")
        db.session.commit()
    auth.login("admin")
    # Gold still in review is a reviewer's draft, not yet the decision: not exported.
    assert jsonl_lines(export(auth.client, gold="true").data) == []
    with app.app_context():
        set_review_status(seeded.article_id, "adjudicated")
    gold = jsonl_lines(export(auth.client, gold="true").data)
    assert len(gold) == 13  # every content paragraph of the adjudicated article
    assert all(r["annotator"] is None and r["gold"] is True for r in gold)
    assert [e["text"] for r in gold for e in r["entities"]] == ["Bloomberg"]


def test_count_preview_matches_the_export(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    response = auth.client.get("/projects/default/export/count?status=done")
    assert response.status_code == 200
    assert response.json == {"records": len(jsonl_lines(export(auth.client, status="done").data))}
    bad = auth.client.get("/projects/default/export/count?layers=x")
    assert bad.status_code == 400 and bad.json["error"]["field"] == "layers"  # type: ignore[index]


def test_export_page_offers_formats_and_filters(auth: Auth, seeded: Seeded) -> None:
    auth.login("rita")
    page = auth.client.get("/projects/default/exports").get_data(as_text=True)
    for text in ("Native JSONL", "doccano JSONL", "Label Studio JSON", 'value="anna"', "Download"):
        assert text in page
    auth.logout()
    auth.login("bob")
    assert 'value="anna"' not in auth.client.get("/projects/default/exports").get_data(as_text=True)


def test_a_member_made_reviewer_of_the_project_exports_what_they_review(
    auth: Auth, seeded: Seeded
) -> None:
    """bob's account is an annotator's; the project's members form made him its reviewer,
    so he writes its gold, and exports it and everyone's work (it was a 403)."""
    from tests.admin_support import post

    auth.login("admin")
    members = "/admin/projects/default/members"
    assert post(auth.client, members, {"username": "bob", "role": "reviewer"}).status_code == 302
    auth.logout()
    auth.login("bob")
    assert annotators_in(export(auth.client).data) == {"anna", "bob"}
    assert (
        auth.client.get("/projects/default/export", query_string={"gold": "1"}).status_code == 200
    )
    assert "Everyone's work" in auth.client.get("/projects/default/exports").get_data(as_text=True)
