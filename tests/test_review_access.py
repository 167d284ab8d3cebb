"""Who reviews: global reviewers and admins, and a project's members with the reviewer role.
Others who may see the project get 403; those who may not see it get the same 404 as for a
missing article. Comments reach the annotator they are about and the reviewers only."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from annotator.extensions import db
from annotator.models import ProjectMember
from annotator.projects import ensure_default_project
from tests.api_helpers import api_for
from tests.conftest import Auth, add_user
from tests.review_support import Reviewed, annotation_of
from tests.test_project_access import closed  # noqa: F401  (fixture)


def test_annotators_may_see_but_not_review(
    client: FlaskClient, auth: Auth, reviewed: Reviewed
) -> None:
    anna = api_for(client, auth, "anna")
    assert client.get(f"/review/articles/{reviewed.article}").status_code == 403
    assert client.get("/projects/default/review").status_code == 403
    assert anna.get(f"/review/articles/{reviewed.article}").status_code == 403
    assert anna.get(f"/review/paragraphs/{reviewed.paragraph}").status_code == 403
    path = f"/review/articles/{reviewed.article}/accept-agreements"
    response = anna.send("POST", path, {})
    assert (response.status_code, response.get_json()["error"]["code"]) == (403, "forbidden")
    assert "Review queue" not in client.get("/projects/default/").get_data(as_text=True)


def test_a_closed_project_is_404_for_review_too(
    client: FlaskClient,
    auth: Auth,
    closed: dict[str, int],  # noqa: F811
) -> None:
    anna = api_for(client, auth, "anna")
    assert client.get(f"/review/articles/{closed['article']}").status_code == 404
    assert client.get("/projects/closed/review").status_code == 404
    assert anna.get(f"/review/articles/{closed['article']}").status_code == 404
    assert anna.get("/review/articles/999999").status_code == 404


def test_a_member_with_the_reviewer_role_reviews_that_project(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed, users: dict[str, int]
) -> None:
    carl = add_user(app, "carl")
    with app.app_context():
        project = ensure_default_project(db.session)
        for user_id, role in [(carl, "reviewer"), (users["anna"], "annotator")]:
            db.session.add(ProjectMember(project_id=project.id, user_id=user_id, role=role))
        db.session.commit()
    api = api_for(client, auth, "carl")
    assert client.get(f"/review/articles/{reviewed.article}").status_code == 200
    assert client.get("/projects/default/review").status_code == 200
    assert "Review queue" in client.get("/projects/default/").get_data(as_text=True)
    path = f"/review/articles/{reviewed.article}/accept-agreements"
    assert api.send("POST", path, {}).status_code == 200
    auth.logout()
    anna = api_for(client, auth, "anna")
    assert anna.get(f"/review/articles/{reviewed.article}").status_code == 403


def test_comments_reach_their_annotator_and_reviewers_only(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed, users: dict[str, int]
) -> None:
    annas = annotation_of(app, users["anna"], "PERSON")
    rita = api_for(client, auth, "rita")
    note = "<b>Cho</b> is a minister: PERSON is right"
    posted = rita.send("POST", f"/review/annotations/{annas}/comments", {"body": note})
    assert posted.status_code == 201
    assert posted.get_json()["comment"]["author"] == "rita"
    empty = rita.send("POST", f"/review/annotations/{annas}/comments", {"body": "  "})
    assert (empty.status_code, empty.get_json()["error"]["field"]) == (422, "body")
    review = rita.get(f"/review/articles/{reviewed.article}").get_json()
    assert [c["body"] for c in review["comments"]] == [note]
    auth.logout()
    anna = api_for(client, auth, "anna")
    mine = anna.get(f"/articles/{reviewed.article}/comments").get_json()["comments"]
    assert [(c["annotation_id"], c["body"]) for c in mine] == [(annas, note)]
    denied = anna.send("POST", f"/review/annotations/{annas}/comments", {"body": "me too"})
    assert denied.status_code == 403
    auth.logout()
    bob = api_for(client, auth, "bob")
    assert bob.get(f"/articles/{reviewed.article}/comments").get_json()["comments"] == []


def test_the_queue_sorts_by_disagreement_and_the_list_filters_by_review(
    app: Flask, client: FlaskClient, auth: Auth, reviewed: Reviewed
) -> None:
    api_for(client, auth, "rita")
    queue = client.get("/projects/default/review").get_data(as_text=True)
    # Wang Yi as PERSON and as ORG: one row nobody shares alike; Cho and the sentiment agree.
    assert '<td class="num">1</td>' in queue and "not reviewed" in queue
    assert "Top China" in client.get("/projects/default/?review=not_reviewed").get_data(
        as_text=True
    )
    assert client.get(f"/review/articles/{reviewed.article}").status_code == 200
    in_review = client.get("/projects/default/?review=in_review").get_data(as_text=True)
    assert "Top China" in in_review
    assert "Top China" not in client.get("/projects/default/?review=adjudicated").get_data(
        as_text=True
    )
    assert client.get("/projects/default/?review=maybe").status_code == 400
