"""The admin's Boilerplate tab: add a rule (bad patterns are form errors), preview what it
would change, apply, undo; every step audited, CSRF-checked, for admins only."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import BoilerplateRule, Paragraph
from tests.admin_support import annotate, audit_actions, post
from tests.conftest import Auth, import_text

ARTICLE = "Rates held steady\nThe bank kept its rate.\nWeather looks fine today.\nMarkets rose.\n"
TAB = "/admin/projects/default/boilerplate"


@pytest.fixture
def article(app: Flask, users: dict[str, int]) -> int:
    return import_text(app, "rates.txt", ARTICLE)


def flags(app: Flask, article: int) -> list[bool]:
    with app.app_context():
        query = select(Paragraph.is_boilerplate).where(Paragraph.article_id == article)
        return list(db.session.scalars(query.order_by(Paragraph.position)))


def add(client: FlaskClient, kind: str, pattern: str, flag: str = "boilerplate") -> int:
    response = post(client, TAB, {"kind": kind, "pattern": pattern, "flag": flag})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_only_admins_reach_the_tab(client: FlaskClient, auth: Auth, article: int) -> None:
    for name in ("anna", "rita"):
        auth.login(name)
        assert client.get(TAB).status_code == 403
        assert post(client, TAB, {"kind": "exact", "pattern": "x"}).status_code == 403
        auth.logout()
    auth.login("admin")
    assert client.get(TAB).status_code == 200


@pytest.mark.parametrize(
    ("kind", "pattern", "message"),
    [
        ("regex", "(unclosed", "does not compile"),
        ("regex", r"(\w+\s?)+$", "backtracks too much"),
        ("prefix", "", "This field is required."),
        ("prefix", "x" * 201, "200 characters"),
        ("glob", "x", "Not a valid choice"),
    ],
)
def test_bad_patterns_are_form_errors_and_store_nothing(
    app: Flask, client: FlaskClient, auth: Auth, article: int, kind: str, pattern: str, message: str
) -> None:
    auth.login("admin")
    response = post(client, TAB, {"kind": kind, "pattern": pattern, "flag": "boilerplate"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(BoilerplateRule)).all() == []


def test_adding_without_the_csrf_token_is_refused(
    app: Flask, client: FlaskClient, auth: Auth, article: int
) -> None:
    auth.login("admin")
    response = client.post(TAB, data={"kind": "exact", "pattern": "x", "flag": "content"})
    assert response.status_code == 400
    assert audit_actions(app) == []


def test_preview_apply_and_undo_from_the_rule_page(
    app: Flask, client: FlaskClient, auth: Auth, article: int
) -> None:
    auth.login("admin")
    rule = add(client, "prefix", "Weather looks")
    page = client.get(f"{TAB}/rules/{rule}").get_data(as_text=True)
    assert "Applying would change 1 paragraph." in page
    assert "Weather looks fine today." in page and "Rates held steady" in page
    assert flags(app, article) == [False, False, False]
    applied = post(client, f"{TAB}/rules/{rule}/apply", follow_redirects=True)
    assert "Applied: 1 paragraph(s) changed." in applied.get_data(as_text=True)
    assert flags(app, article) == [False, True, False]
    assert "1" in client.get(TAB).get_data(as_text=True)
    twice = post(client, f"{TAB}/rules/{rule}/apply", follow_redirects=True)
    assert "already applied" in twice.get_data(as_text=True)
    undone = post(client, f"{TAB}/rules/{rule}/undo", follow_redirects=True)
    assert "Undone: 1 paragraph(s) restored." in undone.get_data(as_text=True)
    assert flags(app, article) == [False, False, False]
    assert audit_actions(app) == [
        "boilerplate_rule.add",
        "boilerplate_rule.apply",
        "boilerplate_rule.undo",
    ]


def test_annotated_paragraphs_are_marked_left_alone_and_listed_after_apply(
    app: Flask, client: FlaskClient, auth: Auth, article: int
) -> None:
    annotate(app, article, "anna", "sentiment", "neutral", position=1)
    auth.login("admin")
    rule = add(client, "regex", "^(Weather|Markets)")
    page = client.get(f"{TAB}/rules/{rule}").get_data(as_text=True)
    assert "1 of them have annotations" in page and "annotated" in page
    applied = post(client, f"{TAB}/rules/{rule}/apply", follow_redirects=True)
    text = applied.get_data(as_text=True)
    assert "1 paragraph(s) with annotations were left as they were" in text
    assert "Weather looks fine today." in text  # listed below
    assert flags(app, article) == [False, False, True]
    rule2 = add(client, "exact", "Weather looks fine today.")
    post(client, f"{TAB}/rules/{rule2}/apply", {"include_annotated": "y"})
    assert flags(app, article) == [False, True, True]


def test_the_preview_is_paged(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[str, int]
) -> None:
    body = "\n".join(f"Promo line number {n}." for n in range(60))
    import_text(app, "many.txt", f"Many\n{body}\n")
    auth.login("admin")
    rule = add(client, "prefix", "Promo line")
    first = client.get(f"{TAB}/rules/{rule}").get_data(as_text=True)
    second = client.get(f"{TAB}/rules/{rule}?page=2").get_data(as_text=True)
    assert "Applying would change 60 paragraphs." in first
    assert "Page 1 of 2" in first and "Promo line number 49." in first
    assert "Promo line number 50." not in first and "Promo line number 59." in second


def test_a_rule_of_another_project_or_none_is_404(
    client: FlaskClient, auth: Auth, article: int
) -> None:
    auth.login("admin")
    rule = add(client, "exact", "Markets rose.")
    assert client.get(f"{TAB}/rules/{rule + 1}").status_code == 404
    assert client.get(f"/admin/projects/nope/boilerplate/rules/{rule}").status_code == 404
    assert post(client, f"{TAB}/rules/{rule + 1}/apply").status_code == 404


def test_a_rule_not_in_force_can_be_deleted_an_applied_one_not(
    app: Flask, client: FlaskClient, auth: Auth, article: int
) -> None:
    auth.login("admin")
    rule = add(client, "exact", "Markets rose.")
    post(client, f"{TAB}/rules/{rule}/apply")
    refused = post(client, f"{TAB}/rules/{rule}/delete", follow_redirects=True)
    assert "Undo this rule before deleting it." in refused.get_data(as_text=True)
    post(client, f"{TAB}/rules/{rule}/undo")
    deleted = post(client, f"{TAB}/rules/{rule}/delete")
    assert deleted.status_code == 302 and deleted.headers["Location"].endswith(TAB)
    assert client.get(f"{TAB}/rules/{rule}").status_code == 404
    assert audit_actions(app)[-1] == "boilerplate_rule.delete"
