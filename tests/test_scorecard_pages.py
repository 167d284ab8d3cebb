"""Scorecard pages and JSON on tests/gold_support.py's case: anna's and bob's figures worked
out by hand, who may see whose, and the article page's differences and comments as text."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from annotator.extensions import db
from tests import test_project_access
from tests.conftest import Auth
from tests.gold_support import build_case, comment
from tests.test_input_hygiene import rows

closed = test_project_access.closed  # a project only bob works on, with one article
API = "/api/v1/projects/default/scorecard"
PAGE = "/projects/default/scorecard"


@pytest.fixture
def case(app: Flask, users: dict[str, int]) -> dict[str, int]:
    return build_case(app)


def figures(matched: int, missed: int, extra: int) -> dict[str, Any]:
    precision = matched / (matched + extra) if matched + extra else None
    recall = matched / (matched + missed) if matched + missed else None
    return {
        "matched": matched,
        "missed": missed,
        "extra": extra,
        "precision": precision,
        "recall": recall,
    }


def test_an_annotator_gets_their_figures_per_layer_and_label(
    auth: Auth, case: dict[str, int]
) -> None:
    auth.login("anna")
    body = auth.client.get(API).get_json()
    assert body["annotator"] == "anna" and body["project"] == "default"
    layers = body["layers"]
    # gold: Alice PERSON, Paris GPE, Monday DATE; anna: Alice PERSON, Bob PERSON, Paris GPE
    assert layers["entity"] == {
        **figures(2, 1, 1),
        "labels": {
            "DATE": figures(0, 1, 0),
            "GPE": figures(1, 0, 0),
            "PERSON": figures(1, 0, 1),
        },
    }
    assert layers["claim"] == {**figures(1, 0, 0), "labels": {"factual": figures(1, 0, 0)}}
    assert layers["sentiment"]["labels"] == {
        "neutral": figures(1, 0, 0),
        "positive": figures(1, 0, 0),  # paragraph 2
    }
    # gold: negative about Paris; anna: positive about Paris, negative about Alice
    assert layers["target_sentiment"] == {
        **figures(0, 1, 2),
        "labels": {"negative": figures(0, 1, 1), "positive": figures(0, 0, 1)},
    }
    # "Weather" is done but only in review: not scored
    assert body["articles"] == [
        {"id": case["one"], "title": "Talks", "matched": 5, "missed": 2, "extra": 3}
    ]


def test_reviewers_and_admins_pick_anyone(auth: Auth, case: dict[str, int]) -> None:
    auth.login("rita")
    bob = auth.client.get(API, query_string={"annotator": "Bob"}).get_json()
    assert bob["annotator"] == "bob"
    assert bob["layers"]["entity"] == {
        **figures(3, 0, 0),
        "labels": {n: figures(1, 0, 0) for n in ("DATE", "GPE", "PERSON")},
    }
    assert bob["layers"]["sentiment"]["labels"] == {
        "negative": figures(0, 0, 1),
        "neutral": figures(1, 0, 0),
        "positive": figures(0, 1, 0),
    }
    cleo = auth.client.get(API, query_string={"annotator": "cleo"}).get_json()
    assert cleo["articles"] == [] and cleo["layers"]["entity"] == {**figures(0, 0, 0), "labels": {}}
    missing = auth.client.get(API, query_string={"annotator": "nobody"})
    assert missing.status_code == 404 and missing.get_json()["error"]


def test_an_annotator_asking_for_someone_else_gets_403(
    app: Flask, auth: Auth, case: dict[str, int]
) -> None:
    auth.login("anna")
    before = rows(app)
    for path in (API, PAGE, f"{PAGE}/{case['one']}"):
        assert auth.client.get(path, query_string={"annotator": "bob"}).status_code == 403
        assert auth.client.get(path, query_string={"annotator": "ANNA"}).status_code == 200
    assert auth.client.get(API, query_string={"annotator": "nobody"}).status_code == 403
    assert rows(app) == before


def test_a_member_with_the_reviewer_role_sees_anyones_scorecard_in_that_project(
    app: Flask, auth: Auth, users: dict[str, int], case: dict[str, int]
) -> None:
    from tests.test_agreement_api_cli import _member

    _member(app, users["anna"], "reviewer")
    auth.login("anna")
    for path in (API, PAGE, f"{PAGE}/{case['one']}"):
        assert auth.client.get(path, query_string={"annotator": "bob"}).status_code == 200
    assert auth.client.get(API, query_string={"annotator": "bob"}).get_json()["annotator"] == "bob"


def test_projects_closed_to_the_user_are_404_like_missing_ones(
    auth: Auth, case: dict[str, int], closed: dict[str, int]
) -> None:
    auth.login("anna")
    for path in (
        "/api/v1/projects/closed/scorecard",
        "/api/v1/projects/nope/scorecard",
        "/projects/closed/scorecard",
        "/projects/nope/scorecard",
        f"/projects/closed/scorecard/{closed['article']}",
        f"/projects/default/scorecard/{closed['article']}",  # the article is elsewhere
        "/projects/default/scorecard/999999",
    ):
        assert auth.client.get(path).status_code == 404, path


def test_the_scorecard_page_shows_figures_and_links_the_article(
    auth: Auth, case: dict[str, int]
) -> None:
    auth.login("anna")
    articles = auth.client.get("/projects/default/").get_data(as_text=True)
    assert f'href="{PAGE}"' in articles
    page = auth.client.get(PAGE).get_data(as_text=True)
    assert "Scorecard: anna" in page
    assert '67% <span class="muted">(2/3)</span>' in page  # entities, precision and recall
    assert f'href="{PAGE}/{case["one"]}"' in page
    assert 'name="annotator"' not in page  # no picker for annotators


def test_a_reviewer_picks_an_annotator_on_the_page(auth: Auth, case: dict[str, int]) -> None:
    auth.login("rita")
    page = auth.client.get(PAGE, query_string={"annotator": "bob"}).get_data(as_text=True)
    assert "Scorecard: bob" in page and '<option value="bob" selected>' in page
    assert f'href="{PAGE}/{case["one"]}?annotator=bob"' in page


def test_the_article_page_lists_matched_missed_and_extra_with_their_text(
    app: Flask, auth: Auth, case: dict[str, int]
) -> None:
    auth.login("anna")
    page = auth.client.get(f"{PAGE}/{case['one']}").get_data(as_text=True)
    matched, rest = page.split("Missed (in gold, not yours)")
    missed, extra = rest.split("Extra (not in gold)")
    assert "«Alice» <strong>PERSON</strong>" in matched
    assert "paragraph sentiment <strong>neutral</strong>" in matched
    assert "«Monday» <strong>DATE</strong>" in missed
    assert "«Paris» → <strong>negative</strong>" in missed
    assert "«Bob» <strong>PERSON</strong>" in extra
    assert "«Alice» → <strong>negative</strong>" in extra
    assert "Reviewer comments" not in page


def test_reviewer_comments_show_as_text(app: Flask, auth: Auth, case: dict[str, int]) -> None:
    with app.app_context():
        comment(case["anna_bob"], "rita", "<b>Bob</b> is not a person here & never was")
        comment(case["bob_alice"], "rita", "for bob only")
        db.session.commit()
    auth.login("anna")
    page = auth.client.get(f"{PAGE}/{case['one']}").get_data(as_text=True)
    assert "Reviewer comments" in page
    assert "&lt;b&gt;Bob&lt;/b&gt; is not a person here &amp; never was" in page
    assert "<b>Bob</b>" not in page and "for bob only" not in page
    assert "— rita," in page


def test_an_article_without_a_scorecard_is_404(auth: Auth, case: dict[str, int]) -> None:
    auth.login("anna")
    response = auth.client.get(f"{PAGE}/{case['two']}", headers={"Accept": "application/json"})
    assert response.status_code == 404  # done, but only in review
    assert (
        "marked done before the article was adjudicated" in response.get_json()["error"]["message"]
    )
    auth.logout()
    auth.login("cleo")
    assert auth.client.get(f"{PAGE}/{case['one']}").status_code == 404  # not done
    assert "No scorecard yet" in auth.client.get(PAGE).get_data(as_text=True)


def test_done_marked_after_the_adjudication_shows_no_gold(
    client: Any, auth: Auth, case: dict[str, int]
) -> None:
    """A scorecard lists the gold an annotator missed: marking done an adjudicated article
    one never worked on must not show it (it did, to be copied after reopening)."""
    from tests.api_helpers import api_for

    api = api_for(client, auth, "cleo")
    assert api.send("PUT", f"/articles/{case['one']}/status", {"status": "done"}).status_code == 200
    response = client.get(f"{PAGE}/{case['one']}", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert (
        "marked done before the article was adjudicated" in response.get_json()["error"]["message"]
    )
    assert client.get(API).get_json()["articles"] == []


def test_marking_done_again_keeps_a_scorecard_earned_before(
    client: Any, auth: Auth, case: dict[str, int]
) -> None:
    """The done that counts is the first: the time of the status's last change."""
    from tests.api_helpers import api_for

    api = api_for(client, auth, "anna")
    assert api.send("PUT", f"/articles/{case['one']}/status", {"status": "done"}).status_code == 200
    assert client.get(f"{PAGE}/{case['one']}").status_code == 200
    assert (
        api.send("PUT", f"/articles/{case['one']}/status", {"status": "in_progress"}).status_code
        == 200
    )
    assert api.send("PUT", f"/articles/{case['one']}/status", {"status": "done"}).status_code == 200
    assert client.get(f"{PAGE}/{case['one']}").status_code == 404  # reopened after the gold


def test_work_changed_after_the_adjudication_is_no_longer_scored(
    app: Flask, client: Any, auth: Auth, case: dict[str, int]
) -> None:
    """The card shows the gold; an annotator who then edited their work to match it got a
    better score for it (the review probe). Work changed since is not scored."""
    from sqlalchemy import select

    from annotator.models import Annotation, Paragraph, User
    from tests.api_helpers import api_for

    api = api_for(client, auth, "anna")
    assert client.get(f"{PAGE}/{case['one']}").status_code == 200
    with app.app_context():
        anna = db.session.scalar(select(User).where(User.username_key == "anna"))
        assert anna is not None
        own = db.session.scalars(
            select(Annotation)
            .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
            .where(Paragraph.article_id == case["one"])
            .where(Annotation.annotator_id == anna.id, Annotation.is_gold.is_(False))
        ).first()
        assert own is not None
        own_id, version = own.id, own.version
    deleted = api.send("DELETE", f"/annotations/{own_id}", {"version": version})
    assert deleted.status_code == 200
    response = client.get(f"{PAGE}/{case['one']}", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert "not changed since" in response.get_json()["error"]["message"]
    assert all(a["id"] != case["one"] for a in client.get(API).get_json()["articles"])
