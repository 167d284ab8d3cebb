"""Pattern files: checked line by line on upload (nothing stored on error), matched with
spaCy's own matchers on a blank tokenizer, suggested in every article and in later ones."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import PatternFile, Suggestion
from annotator.schema import DEFAULT_SCHEMA
from annotator.suggestions.patterns import PatternError, blank, match, parse_patterns
from tests.admin_support import post
from tests.conftest import Auth, import_text

ROOT = Path(__file__).resolve().parents[1]
GOOD = "\n".join(
    json.dumps(line)
    for line in [
        {"label": "GPE", "pattern": "South Korea"},
        {"label": "PERSON", "pattern": [{"LOWER": "wang"}, {"LOWER": "yi"}]},
        {"label": "GPE", "pattern": [{"ORTH": "Seoul"}], "id": "seoul"},
    ]
).encode()


def lines(*items: object) -> bytes:
    return "\n".join(i if isinstance(i, str) else json.dumps(i) for i in items).encode()


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (lines({"label": "GPE", "pattern": "Seoul"}, "{not json"), 2, "is not valid JSON"),
        (lines({"label": "KINGDOM", "pattern": "Seoul"}), 1, "'KINGDOM' is not an entity label"),
        (lines("", {"label": "GPE", "pattern": [{"SHOUT": "x"}]}), 2, "SHOUT"),
        (lines({"label": "GPE", "pattern": [{"POS": "PROPN"}]}), 1, "needs a trained pipeline"),
        (lines({"label": "GPE", "pattern": ""}), 1, "must not be empty"),
        (lines({"label": "GPE", "pattern": "x", "note": 1}), 1, "unknown field 'note'"),
        (lines([1, 2]), 1, "must be an object"),
        (b"", 1, "holds no patterns"),
        # spaCy runs a REGEX with `re`, which has no timeout, on untrusted article text.
        (lines({"label": "GPE", "pattern": [{"TEXT": {"REGEX": "^(a+)+b$"}}]}), 1, "backtracks"),
        (lines({"label": "GPE", "pattern": [{"LOWER": {"REGEX": "x{99999999}"}}]}), 1, "repeats"),
        (lines({"label": "GPE", "pattern": [{"_": {"x": {"REGEX": "(a|aa)+$"}}}]}), 1, "REGEX"),
        (lines({"label": "GPE", "pattern": [{"TEXT": {"REGEX": "(?P<a"}}]}), 1, "REGEX"),
    ],
)
def test_a_bad_line_is_named(data: bytes, line: int, message: str) -> None:
    with pytest.raises(PatternError) as raised:
        parse_patterns(data, DEFAULT_SCHEMA)
    assert raised.value.line == line
    assert message in str(raised.value)


def test_a_regex_that_answers_quickly_is_a_pattern() -> None:
    item = {"label": "ORG", "pattern": [{"TEXT": {"REGEX": "^[A-Z]{2,5}$"}}]}
    (pattern,) = parse_patterns(lines(item), DEFAULT_SCHEMA)
    found = match(blank("en"), [pattern], [(1, "The WHO met the un and NATO.")])
    assert [("The WHO met the un and NATO."[s.start : s.end]) for s in found] == ["WHO", "NATO"]


def test_phrase_and_token_patterns_match_in_code_points() -> None:
    text = "🙂 Wang Yi flew from Seoul to South Korea’s capital; south korea is lower case."
    patterns = parse_patterns(GOOD, DEFAULT_SCHEMA)

    found = match(blank("en"), patterns, [(1, text)])

    assert [(text[s.start : s.end], s.label) for s in found if s.start is not None] == [
        ("Wang Yi", "PERSON"),
        ("Seoul", "GPE"),
        ("South Korea", "GPE"),
    ]


def test_matches_never_overlap_and_the_longest_wins() -> None:
    patterns = parse_patterns(
        lines({"label": "GPE", "pattern": "Korea"}, {"label": "GPE", "pattern": "South Korea"}),
        DEFAULT_SCHEMA,
    )
    found = match(blank("en"), patterns, [(1, "South Korea and Korea")])
    assert [(s.start, s.end) for s in found] == [(0, 11), (16, 21)]


def test_a_match_glued_by_a_hyphen_is_dropped_as_propagation_drops_it() -> None:
    """spaCy splits "one-China" and "Tae-yul" at the hyphen; the workspace does not."""
    patterns = parse_patterns(
        lines(
            {"label": "GPE", "pattern": "China"},
            {"label": "PERSON", "pattern": [{"ORTH": "Tae"}]},
            {"label": "PERSON", "pattern": "Cho Tae-yul"},
        ),
        DEFAULT_SCHEMA,
    )
    text = "Cho Tae-yul backs the one-China line; US-China talks in China"
    found = match(blank("en"), patterns, [(1, text)])
    assert [(text[s.start : s.end], s.start) for s in found if s.start is not None] == [
        ("Cho Tae-yul", 0),
        ("China", 41),
        ("China", 56),
    ]


def upload(auth: Auth, name: str, data: bytes) -> object:
    form = {"file": (io.BytesIO(data), name)}
    return post(
        auth.client, "/admin/projects/default/patterns", form, content_type="multipart/form-data"
    )


def suggestion_texts(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(
            db.session.scalars(select(Suggestion.text).where(Suggestion.source == "pattern"))
        )


def test_an_admin_uploads_patterns_and_every_article_gets_suggestions(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    auth.login("admin")
    page = auth.client.get("/admin/projects/default/patterns")
    assert page.status_code == 200 and "Upload patterns" in page.get_data(as_text=True)

    response = upload(auth, "places.jsonl", GOOD)

    assert response.status_code == 302  # type: ignore[attr-defined]
    texts = suggestion_texts(app)
    assert texts.count("South Korea") >= 4 and "Wang Yi" in texts and "Seoul" in texts
    later = import_text(app, "later.txt", "Later\nSeoul answered Wang Yi.\n")
    with app.app_context():
        rows = db.session.execute(
            select(Suggestion.text)
            .where(Suggestion.source == "pattern")
            .where(Suggestion.paragraph.has(article_id=later))
            .order_by(Suggestion.start)
        ).scalars()
        assert list(rows) == ["Seoul", "Wang Yi"]


def test_a_file_name_past_its_column_is_refused_before_anything_is_stored(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    """The name column holds 200 characters: PostgreSQL refused a longer one (a 500)."""
    auth.login("admin")
    response = upload(auth, "p" * 201 + ".jsonl", GOOD)
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "The file&#39;s name must be at most 200 plain characters." in page
    assert suggestion_texts(app) == []


def test_a_bad_line_stores_nothing_and_the_page_names_it(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    auth.login("admin")
    bad = GOOD + b'\n{"label": "GPE", "pattern": [{"LOWER": "x", "COLOUR": "red"}]}'

    response = upload(auth, "places.jsonl", bad)

    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "places.jsonl, line 4: bad token pattern" in page
    assert "COLOUR" in page and "nothing was stored" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PatternFile)) == 0
    assert suggestion_texts(app) == []


def test_removing_a_file_withdraws_its_open_suggestions(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    auth.login("admin")
    upload(auth, "places.jsonl", GOOD)
    with app.app_context():
        file_id = db.session.scalar(select(PatternFile.id))

    post(auth.client, f"/admin/projects/default/patterns/{file_id}/remove")

    assert suggestion_texts(app) == []


def test_annotators_cannot_upload_patterns(auth: Auth) -> None:
    auth.login("anna")
    assert upload(auth, "places.jsonl", GOOD).status_code == 403  # type: ignore[attr-defined]


def test_the_web_process_does_not_load_spacy_to_serve_the_workspace() -> None:
    """create_app and a workspace request leave spaCy unloaded (it takes seconds and memory)."""
    script = """
import sys, tempfile
from annotator import create_app, database
from annotator.extensions import db
from annotator.ingest import parse_text_article, store_articles
from annotator.projects import ensure_default_project
from annotator.accounts import create_user
from tests.conftest import make_config, PASSWORD, CHEAP_HASH
folder = tempfile.mkdtemp()
app = create_app(make_config(f"sqlite:///{folder}/t.db"))
with app.app_context():
    database.upgrade()
    project = ensure_default_project(db.session)
    create_user(db.session, "anna", PASSWORD, "annotator", CHEAP_HASH)
    draft = parse_text_article("a.txt", b"Title\\nSeoul and Beijing met.\\n")
    article = store_articles(db.session, project, [draft]).preview[0]
    db.session.commit()
    article_id = article.id
client = app.test_client()
page = client.get("/login").get_data(as_text=True)
token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
client.post("/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token})
assert client.get(f"/articles/{article_id}").status_code == 200
assert client.get(f"/api/v1/articles/{article_id}/suggestions").status_code == 200
print("spacy" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_the_tokenizer_language_is_kept_and_an_unknown_one_refused(
    app: Flask, auth: Auth, seed_article: int
) -> None:
    auth.login("admin")
    chinese = lines({"label": "PERSON", "pattern": "王毅"})
    import_text(app, "zh.txt", "外交\n中国外交部长王毅在北京会见。\n")

    refused = post(
        auth.client,
        "/admin/projects/default/patterns",
        {"file": (io.BytesIO(chinese), "zh.jsonl"), "language": "qq"},
        content_type="multipart/form-data",
    )
    accepted = post(
        auth.client,
        "/admin/projects/default/patterns",
        {"file": (io.BytesIO(chinese), "zh.jsonl"), "language": "zh"},
        content_type="multipart/form-data",
    )

    assert refused.status_code == 400
    assert "No spaCy tokenizer for &#39;qq&#39;" in refused.get_data(as_text=True)
    assert accepted.status_code == 302
    assert suggestion_texts(app) == ["王毅"]
    assert 'value="zh"' in auth.client.get("/admin/projects/default/patterns").get_data(
        as_text=True
    )
