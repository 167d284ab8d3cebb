"""Projects from the browser: settings, guidelines, archive, members, import, boilerplate."""

from __future__ import annotations

import io
import json
import re

import pytest
from flask import Flask

from tests.admin_support import annotate, article_count, last_audit, post, project
from tests.conftest import SEED, Auth

NEW_PROJECT = {
    "name": "Elections 2024",
    "slug": "elections-2024",
    "description": "Campaign coverage",
    "guidelines": "# Rules\n\n*Tag* people. <script>alert(1)</script>",
    "snap_to_words": "y",
    "overlap": "2",
}


def test_create_edit_and_archive_a_project(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    created = post(auth.client, "/admin/projects/new", NEW_PROJECT)
    assert created.status_code == 302
    assert created.headers["Location"] == "/admin/projects/elections-2024/edit"
    made = project(app, "elections-2024")
    assert made.settings == {"snap_to_words": True, "overlap": 2}
    assert made.label_schema["entities"][0]["name"] == "PERSON"
    page = auth.client.get(created.headers["Location"]).get_data(as_text=True)
    assert "<h1>Rules</h1>" in page and "<em>Tag</em>" in page
    assert "<script>alert" not in page
    edit = {**NEW_PROJECT, "name": "Elections", "overlap": "3", "snap_to_words": ""}
    edit["revision"] = revision_on(page)
    assert post(auth.client, "/admin/projects/elections-2024/edit", edit).status_code == 302
    assert project(app, "elections-2024").settings == {"snap_to_words": False, "overlap": 3}
    assert last_audit(app).action == "project.update"
    post(auth.client, "/admin/projects/elections-2024/archive", {"archived": "1"})
    assert project(app, "elections-2024").archived_at is not None
    assert "Elections" not in auth.client.get("/").get_data(as_text=True)


REVISION = re.compile(r'name="revision" type="hidden" value="([0-9a-f]+)"')


def revision_on(page: str) -> str:
    match = REVISION.search(page)
    assert match, "the edit form carries the project's revision"
    return match.group(1)


def test_two_admins_editing_a_project_get_a_conflict_not_a_silent_overwrite(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    from tests.conftest import Auth as Client

    auth.login("admin")
    rita = Client(app.test_client())
    post(auth.client, f"/admin/users/{users['rita']}/role", {"role": "admin"})
    rita.login("rita")
    path = "/admin/projects/default/edit"
    base = {**NEW_PROJECT, "slug": "default", "name": "Default project"}
    mine = revision_on(auth.client.get(path).get_data(as_text=True))
    theirs = revision_on(rita.client.get(path).get_data(as_text=True))
    assert (
        post(rita.client, path, {**base, "guidelines": "Rita's", "revision": theirs}).status_code
        == 302
    )
    late = post(auth.client, path, {**base, "guidelines": "Mine", "revision": mine})
    assert late.status_code == 409
    assert "Someone else saved this project while you were editing it" in late.get_data(
        as_text=True
    )
    assert project(app, "default").guidelines == "Rita's"
    again = post(
        auth.client,
        path,
        {**base, "guidelines": "Mine", "revision": revision_on(late.get_data(as_text=True))},
    )
    assert again.status_code == 302
    assert project(app, "default").guidelines == "Mine"


def test_project_form_rejects_bad_input(auth: Auth) -> None:
    auth.login("admin")
    taken = post(auth.client, "/admin/projects/new", {**NEW_PROJECT, "slug": "default"})
    assert taken.status_code == 400
    assert "is taken by project" in taken.get_data(as_text=True)
    bad = post(
        auth.client, "/admin/projects/new", {**NEW_PROJECT, "slug": "Bad Slug", "overlap": "0"}
    )
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Lower-case letters, digits and dashes." in text
    assert "Number must be between 1 and 20." in text


@pytest.mark.parametrize("slug", ["news\n", "news\r\n", "\nnews"])
def test_a_slug_is_checked_to_its_very_end(auth: Auth, slug: str) -> None:
    """Python's $ matches before a final newline: a slug "news\n" once made a project."""
    auth.login("admin")
    bad = post(auth.client, "/admin/projects/new", {**NEW_PROJECT, "slug": slug})
    assert bad.status_code == 400
    assert "Lower-case letters, digits and dashes." in bad.get_data(as_text=True)


def test_membership(app: Flask, auth: Auth, users: dict[str, int]) -> None:
    auth.login("admin")
    path = "/admin/projects/default/members"
    assert post(auth.client, path, {"username": "anna", "role": "annotator"}).status_code == 302
    assert post(auth.client, path, {"username": "rita", "role": "reviewer"}).status_code == 302
    page = auth.client.get(path).get_data(as_text=True)
    assert ">anna</a>" in page and ">rita</a>" in page
    post(auth.client, f"{path}/{users['anna']}/role", {"role": "reviewer"})
    assert last_audit(app).after == {"user": "anna", "role": "reviewer"}
    post(auth.client, f"{path}/{users['anna']}/remove")
    assert ">anna</a>" not in auth.client.get(path).get_data(as_text=True)
    assert last_audit(app).action == "project.member_remove"


def test_changing_the_role_of_someone_not_a_member_adds_nobody(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    """Adding the first member closes an open project to everyone else: only Add does it."""
    auth.login("admin")
    path = "/admin/projects/default/members"
    response = post(auth.client, f"{path}/{users['anna']}/role", {"role": "admin"})
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "anna is not a member of this project: add them first." in page
    assert ">anna</a>" not in page
    auth.logout()
    auth.login("bob")
    assert auth.client.get("/projects/default/").status_code == 200


def _upload(auth: Auth, *files: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return post(
        auth.client, "/admin/projects/default/import", data, content_type="multipart/form-data"
    )


def test_upload_preview_shows_the_first_articles_and_counts_the_rest(
    app: Flask, auth: Auth
) -> None:
    auth.login("admin")
    jsonl = "\n".join(
        json.dumps({"title": f"Story {i}", "paragraphs": [f"Body of story {i}.", "© 2024 Wire"]})
        for i in range(23)
    ).encode()
    page = _upload(auth, ("batch.jsonl", jsonl)).get_data(as_text=True)
    assert page.count('class="import-preview"') == 20
    assert "<li>Body of story 19.</li>" in page and "Body of story 20." not in page
    assert "3 more articles imported" in page


def test_upload_import_shows_a_summary(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    jsonl = "\n".join(
        json.dumps({"title": f"Story {i}", "paragraphs": [f"Body of story {i}.", "© 2024 Wire"]})
        for i in range(2)
    ).encode()
    response = _upload(auth, (SEED.name, SEED.read_bytes()), ("batch.jsonl", jsonl))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>3</strong> articles added" in page
    assert "<strong>0</strong> duplicates skipped" in page
    assert "<strong>19</strong> paragraphs marked as boilerplate" in page
    assert article_count(app) == 3
    again = _upload(auth, ("batch.jsonl", jsonl)).get_data(as_text=True)
    assert "<strong>2</strong> duplicates skipped" in again
    assert last_audit(app).action == "project.import"


def test_malformed_upload_imports_nothing_and_says_why(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    broken = b'{"title": "Fine", "text": "A paragraph."}\n{"title": "Broken", "text": \n'
    response = _upload(auth, (SEED.name, SEED.read_bytes()), ("bad.jsonl", broken))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "bad.jsonl, line 2: invalid JSON" in page
    assert "nothing was imported" in page
    assert article_count(app) == 0


@pytest.mark.parametrize("line", [1, 2])
def test_an_upload_with_a_number_too_long_to_read_says_so(
    app: Flask, auth: Auth, line: int
) -> None:
    """Python reads integers of at most 4,300 digits: the upload page answered 500."""
    auth.login("admin")
    long = b'{"title": "Long", "text": "A paragraph.", "n": ' + b"9" * 4400 + b"}\n"
    fine = b'{"title": "Fine", "text": "A paragraph."}\n'
    response = _upload(auth, ("long.jsonl", long if line == 1 else fine + long))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"long.jsonl, line {line}: invalid JSON (a number too long to read)" in page
    assert article_count(app) == 0


def test_an_oversize_upload_is_refused_with_a_clear_page(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = _upload(auth, ("huge.txt", b"Title\n" + b"x" * 10_000))
    assert response.status_code == 413
    assert "larger than the 4 KB this server accepts" in response.get_data(as_text=True)
    assert article_count(app) == 0


def test_upload_of_unsupported_type_or_nothing(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    response = _upload(auth, ("slides.pdf", b"%PDF"))
    assert response.status_code == 400
    assert "unsupported file type" in response.get_data(as_text=True)
    empty = post(auth.client, "/admin/projects/default/import", {})
    assert empty.status_code == 400
    assert "Choose at least one" in empty.get_data(as_text=True)


def test_toggle_boilerplate(app: Flask, auth: Auth, seed_article: int) -> None:
    auth.login("admin")
    from annotator.extensions import db
    from annotator.models import Paragraph

    with app.app_context():
        paragraphs = db.session.scalars(
            db.select(Paragraph)
            .where(Paragraph.article_id == seed_article)
            .order_by(Paragraph.position)
        ).all()
        first, boiler = paragraphs[0].id, next(p.id for p in paragraphs if p.is_boilerplate)
    url = "/admin/projects/default/paragraphs/{}/boilerplate"
    assert post(auth.client, url.format(boiler), {"boilerplate": "0"}).status_code == 302
    assert last_audit(app).after["is_boilerplate"] is False  # type: ignore[index]
    annotate(app, seed_article, "anna", "entity", "PERSON")
    refused = post(auth.client, url.format(first), {"boilerplate": "1"})
    page = auth.client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "has 1 annotation(s): it stays content" in page
    with app.app_context():
        assert not db.session.get(Paragraph, first).is_boilerplate  # type: ignore[union-attr]
        assert not db.session.get(Paragraph, boiler).is_boilerplate  # type: ignore[union-attr]
