"""The project dashboard: numbers in tables, the same numbers drawn as SVG, and as JSON."""

from __future__ import annotations

from flask import Flask

from annotator.extensions import db
from annotator.models import AnnotationEvent, ArticleStatus, Status
from tests.admin_support import annotate, annotation, user_id
from tests.conftest import Auth, import_text


def _status(app: Flask, article: int, username: str, status: Status) -> None:
    with app.app_context():
        db.session.add(
            ArticleStatus(article_id=article, user_id=user_id(app, username), status=status.value)
        )
        db.session.commit()


def test_dashboard_counts_states_labels_and_activity(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    done = import_text(app, "a.txt", "A\nFirst body.")
    started = import_text(app, "b.txt", "B\nSecond body.")
    import_text(app, "c.txt", "C\nThird body.")
    _status(app, done, "anna", Status.DONE)
    _status(app, started, "bob", Status.IN_PROGRESS)
    entity = annotate(app, done, "anna", "entity", "PERSON")
    annotate(app, started, "bob", "sentiment", "positive")
    with app.app_context():
        db.session.add(
            AnnotationEvent(
                annotation_id=entity,
                paragraph_id=annotation(app, entity).paragraph_id,
                user_id=users["anna"],
                action="create",
            )
        )
        db.session.commit()
    auth.login("admin")
    data = auth.client.get("/admin/projects/default/dashboard.json").get_json()
    assert data["overall"] == {"done": 1, "in_progress": 1, "not_started": 1}
    anna = next(a for a in data["annotators"] if a["username"] == "anna")
    assert anna == {
        "username": "anna",
        "assigned": 1,
        "annotations": 1,
        "done": 1,
        "in_progress": 0,
        "not_started": 0,
    }
    assert {"layer": "entity", "label": "PERSON", "count": 1} in data["labels"]
    assert len(data["activity"]) == 14 and data["activity"][-1]["events"] == 1
    page = auth.client.get("/admin/projects/default/dashboard").get_data(as_text=True)
    assert page.count("<svg viewBox") == 4
    assert 'fill="#E69F00"' in page  # PERSON drawn in its schema colour
    assert "<td>PERSON</td>" in page


def test_dashboard_of_an_empty_project(auth: Auth) -> None:
    auth.login("admin")
    page = auth.client.get("/admin/projects/default/dashboard")
    assert page.status_code == 200
    assert "No annotations yet." in page.get_data(as_text=True)
