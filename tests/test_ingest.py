"""Article import: the seed article, JSONL, idempotence, and all-or-nothing on bad input."""

import json

import pytest
from flask import Flask
from sqlalchemy import func, select

from annotator import ingest
from annotator.extensions import db
from annotator.imported_lines import IMPORT_LINES, ImportedLines, line_digest
from annotator.ingest import (
    PREVIEW_ARTICLES,
    IngestError,
    parse_html_article,
    parse_jsonl_articles,
    parse_named_file,
    parse_text_article,
    store_articles,
)
from annotator.models import Article, Paragraph
from annotator.projects import ensure_default_project
from annotator.text import ParagraphDraft, normalise_line
from tests.conftest import SEED, SEED_TITLE

SEED_BOILERPLATE = [1, 2, 3, 4, 5, 6, 11, 13, 17, 22, 23, 24, 25, 26, 27, 28, 29]


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_seed_article_is_split_into_paragraphs_with_boilerplate_marked(
    app: Flask, seed_article: int
) -> None:
    with app.app_context():
        article = db.session.get(Article, seed_article)
        assert article is not None
        assert article.title == SEED_TITLE
        assert article.source == "Bloomberg"
        assert article.external_id == SEED.stem
        assert len(article.paragraphs) == 30
        assert [p.position for p in article.paragraphs if p.is_boilerplate] == SEED_BOILERPLATE
        first = article.paragraphs[0].text
        assert first.startswith("(Bloomberg) -- The top diplomats from South Korea and China")
        assert article.paragraphs[29].text == "©2024 Bloomberg L.P."


def test_paragraph_text_is_stored_exactly(app: Flask) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    with app.app_context():
        draft = parse_text_article("seed.txt", SEED.read_bytes())
        assert [p.text for p in draft.paragraphs] == [line for line in lines[1:] if line.strip()]


def test_reimporting_the_same_article_is_a_no_op(app: Flask, seed_article: int) -> None:
    with app.app_context():
        project = ensure_default_project(db.session)
        summary = store_articles(
            db.session, project, [parse_text_article("again.txt", SEED.read_bytes())]
        )
        db.session.commit()
        assert (summary.added, summary.duplicates) == (0, 1)
        assert count(Article) == 1
        assert count(Paragraph) == 30


def test_crlf_files_import_as_the_same_article(app: Flask, seed_article: int) -> None:
    crlf = SEED.read_bytes().replace(b"\n", b"\r\n")
    with app.app_context():
        project = ensure_default_project(db.session)
        summary = store_articles(db.session, project, [parse_text_article("crlf.txt", crlf)])
        assert summary.duplicates == 1


def jsonl(*records: object) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8")


def test_jsonl_articles_with_text_or_paragraphs() -> None:
    drafts = parse_jsonl_articles(
        "batch.jsonl",
        jsonl(
            {"title": "One", "text": "First.\nSecond 😀.", "external_id": 7, "source": "AP"},
            {
                "title": "Two",
                "paragraphs": ["Para 𠀋.", "Read More: elsewhere"],
                "published": "2024-05-13T08:00:00Z",
                "meta": {"url": "https://example.org/2"},
            },
        ),
    )
    one, two = drafts
    assert [p.text for p in one.paragraphs] == ["First.", "Second 😀."]
    assert (one.external_id, one.source) == ("7", "AP")
    assert [p.is_boilerplate for p in two.paragraphs] == [False, True]
    assert two.published is not None and two.published.isoformat() == "2024-05-13"
    assert two.meta == {"url": "https://example.org/2"}


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b'{"title": "A", "text": "x"}\n{"title": "B", "text": ', 2, "invalid JSON"),
        (b'{"title": "A", "text": "x"}\n\n{"text": "no title"}', 3, "'title' is missing"),
        (b'{"title": "A"}', 1, "needs 'text'"),
        (b'["not", "an", "object"]', 1, "must be a JSON object"),
        (b'{"title": "A", "paragraphs": [1, 2]}', 1, "list of strings"),
        (b'{"title": "A", "text": "x", "published": "last tuesday"}', 1, "ISO 8601"),
        (b'{"title": "A", "text": "x", "meta": "url"}', 1, "'meta' must be"),
        (b'{"title": "A", "text": "x"}\n{"title": "B", "text": "caf\xe9"}', 2, "not UTF-8"),
        # Annotation lines of no kind the import knows: what each kind needs is said too.
        (b'{"label": [[0, 4, "GPE"]], "cats": ["neutral"]}', 1, "doccano (text, and label"),
        (b'{"text": "Wang Yi met Cho.", "cats": {"neutral": 1.0}}', 1, "spaCy (text and spans)"),
        (b'{"data": {"text": "x"}, "annotations": []}', 1, "a Label Studio export is a .json"),
        # The columns hold 255 characters: PostgreSQL refused a longer one at the insert.
        (
            b'{"title": "A", "text": "x", "external_id": "' + b"k" * 256 + b'"}',
            1,
            "longer than 255",
        ),
        (
            b'{"title": "A", "text": "x", "source": "' + "é".encode() * 256 + b'"}',
            1,
            "longer than 255",
        ),
    ],
)
def test_malformed_jsonl_names_file_and_line(content: bytes, line: int, message: str) -> None:
    with pytest.raises(IngestError) as error:
        parse_jsonl_articles("bad.jsonl", content)
    assert error.value.line == line
    assert message in str(error.value)
    assert str(error.value).startswith(f"bad.jsonl, line {line}: ")


def test_text_file_that_is_not_utf8_names_the_line() -> None:
    with pytest.raises(IngestError, match=r"latin1.txt, line 3: the file is not UTF-8"):
        parse_text_article("latin1.txt", b"Title\nok\ncaf\xe9\n")


def test_empty_text_file_is_refused() -> None:
    with pytest.raises(IngestError, match="empty"):
        parse_text_article("empty.txt", b"\n  \n")


def test_unknown_file_type_is_refused() -> None:
    with pytest.raises(IngestError, match="unsupported file type"):
        parse_named_file("article.pdf", b"%PDF")


def test_two_records_sharing_an_external_id_with_different_text_are_refused_naming_both(
    app: Flask,
) -> None:
    lines = [
        {"title": "Talks", "text": "Wang met Cho.", "external_id": "wire-1"},
        {"title": "Weather", "text": "Rain in Seoul.", "external_id": "wire-2"},
        {"title": "Talks, updated", "text": "Wang met Cho again.", "external_id": "wire-1"},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    with app.app_context():
        project = ensure_default_project(db.session)
        drafts = parse_jsonl_articles("feed.jsonl", data)
        with pytest.raises(IngestError) as refused:
            store_articles(db.session, project, drafts)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    assert str(refused.value) == (
        "feed.jsonl, line 3: external_id 'wire-1' is also used by feed.jsonl, line 1 for "
        "different text; give each article its own id"
    )


def test_two_pages_of_one_file_name_are_two_articles(app: Flask) -> None:
    """A site mirror saves each article as index.html in a folder of its own: the id taken
    from the file name is no one's choice, so it clashes with nothing."""
    first = b"<html><head><title>Port strike</title></head><body><p>Dock workers struck.</p>"
    second = b"<html><head><title>Budget</title></head><body><p>The council voted.</p>"
    with app.app_context():
        project = ensure_default_project(db.session)
        drafts = [
            parse_html_article("2024/05/port-strike/index.html", first + b"</body></html>"),
            parse_text_article("2024/05/budget/index.txt", b"Budget\nThe mayor signed it.\n"),
            parse_html_article("2024/06/budget/index.html", second + b"</body></html>"),
        ]
        summary = store_articles(db.session, project, drafts)
        db.session.commit()
        assert summary.added == 3
        ids = db.session.scalars(select(Article.external_id)).all()
        assert ids == ["index", "index", "index"]


def test_an_external_id_clash_is_named_across_batches_even_when_the_first_was_skipped(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import remembers each id's first record (in the database, not in memory) for all
    its batches, including a record it skipped because the project holds its text already."""
    talks = {"title": "Talks", "text": "Wang met Cho.", "external_id": "wire-1"}
    lines = [
        talks,
        {"title": "Weather", "text": "Rain in Seoul.", "external_id": "wire-2"},
        {"title": "Talks, updated", "text": "Wang met Cho again.", "external_id": "wire-1"},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    monkeypatch.setattr(ingest, "ARTICLE_BATCH", 1)
    with app.app_context():
        project = ensure_default_project(db.session)
        store_articles(db.session, project, parse_jsonl_articles("old.jsonl", jsonl(talks)))
        db.session.commit()
        with pytest.raises(IngestError) as refused:
            store_articles(db.session, project, parse_jsonl_articles("feed.jsonl", data))
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Article)) == 1
    assert str(refused.value) == (
        "feed.jsonl, line 3: external_id 'wire-1' is also used by feed.jsonl, line 1 for "
        "different text; give each article its own id"
    )


def test_the_same_article_twice_in_one_import_is_stored_once(app: Flask) -> None:
    line = json.dumps({"title": "Talks", "text": "Wang met Cho.", "external_id": "wire-1"})
    with app.app_context():
        project = ensure_default_project(db.session)
        drafts = parse_jsonl_articles("feed.jsonl", f"{line}\n{line}\n".encode())
        summary = store_articles(db.session, project, drafts)
        assert (summary.added, summary.duplicates) == (1, 1)


def test_the_summary_names_the_rows_stored_in_the_order_of_the_drafts(app: Flask) -> None:
    records = [
        {"title": f"Story {n}", "paragraphs": [f"P{n}.{i}" for i in range(n)]} for n in (3, 1, 2)
    ]
    with app.app_context():
        project = ensure_default_project(db.session)
        summary = store_articles(
            db.session, project, parse_jsonl_articles("f.jsonl", jsonl(*records))
        )
        db.session.commit()
        stored = [
            (paragraph.article_id, paragraph.position, paragraph.text)
            for paragraph in db.session.scalars(select(Paragraph).order_by(Paragraph.id))
        ]
        reported = [
            (article.id, position, paragraph.text)
            for article in summary.preview
            for position, paragraph in enumerate(article.paragraphs)
        ]
        titles = {article.id: article.title for article in db.session.scalars(select(Article))}
        assert [titles[article.id] for article in summary.preview] == [
            "Story 3",
            "Story 1",
            "Story 2",
        ]
        assert reported == stored
        assert (summary.added, summary.paragraphs) == (3, 6)


def test_the_summary_keeps_counts_ids_and_a_bounded_preview_not_every_text(app: Flask) -> None:
    """An import's summary must not grow with the corpus's text: past the preview it holds
    each new article's id only, however many articles the file brings."""
    count_articles = PREVIEW_ARTICLES + 5
    records = [
        {"title": f"Story {n}", "paragraphs": [f"Line {n}.{i} of the story." for i in range(3)]}
        for n in range(count_articles)
    ]
    with app.app_context():
        project = ensure_default_project(db.session)
        summary = store_articles(
            db.session, project, parse_jsonl_articles("f.jsonl", jsonl(*records))
        )
        db.session.commit()
        ids = list(db.session.scalars(select(Article.id).order_by(Article.id)))
    assert summary.article_ids == ids
    assert (summary.added, summary.paragraphs) == (count_articles, 3 * count_articles)
    assert [article.id for article in summary.preview] == ids[:PREVIEW_ARTICLES]
    assert summary.preview[0].paragraphs[0].text == "Line 0.0 of the story."
    kept = {name for name in vars(summary)}
    assert kept == {
        "added",
        "duplicates",
        "paragraphs",
        "boilerplate",
        "article_ids",
        "preview",
        "learned",
    }


def test_learning_keeps_a_digest_per_line_in_the_database_not_in_memory(app: Flask) -> None:
    """What an import gathers for corpus learning while it runs: a row per learnable line
    (16-byte digest of the normalised line, article, position) in a temporary table, and in
    memory only each source's span of new ids."""
    footer = "Follow   us on social media for more news. " * 3
    with app.app_context():
        lines = ImportedLines(db.session)
        lines.add(
            [
                (
                    article_id,
                    "Site",
                    [
                        ParagraphDraft(f"Story {article_id} begins here.", False),
                        ParagraphDraft(footer, False),
                        ParagraphDraft("Subscribe now", True),  # boilerplate: not learnable
                    ],
                )
                for article_id in (7, 8)
            ]
        )
        site = lines.sources["Site"]
        assert (site.low, site.high) == (7, 8)
        table = IMPORT_LINES.c
        rows = db.session.execute(
            select(table.digest, table.article_id, table.position).order_by(table.line_no)
        ).all()
        assert [(bytes(key), article, at) for key, article, at in rows] == [
            (line_digest("Story 7 begins here."), 7, 0),
            (line_digest(normalise_line(footer)), 7, 1),
            (line_digest("Story 8 begins here."), 8, 0),
            (line_digest(normalise_line(footer)), 8, 1),
        ]
        lines.close()
        db.session.rollback()


def test_keys_of_255_characters_and_a_long_site_name_are_stored(app: Flask) -> None:
    record = {"title": "A", "text": "x", "external_id": "é" * 255, "source": "s" * 255}
    (draft,) = parse_jsonl_articles("ok.jsonl", json.dumps(record).encode())
    assert (draft.external_id, draft.source) == ("é" * 255, "s" * 255)
    site = "The Very Long Site Name " * 20
    page = (
        f'<html><head><title>Cafe</title><meta property="og:site_name" content="{site}"></head>'
        "<body><article><h1>Cafe</h1><p>"
        + "A paragraph of the article's own text. " * 5
        + "</p></article></body></html>"
    )
    draft = parse_html_article("page.html", page.encode())
    assert draft.source is not None and len(draft.source) == 255
    with app.app_context():
        store_articles(db.session, ensure_default_project(db.session), [draft])
        db.session.commit()
        assert db.session.scalar(select(func.length(Article.source))) == 255


def test_a_line_a_reader_sees_as_empty_is_no_paragraph() -> None:
    """str.strip() keeps a zero-width space, so a line of one was a paragraph to annotate."""
    [article] = parse_named_file("note.txt", "Title\nOne.\n\u200b\n\ufeff \u2060\nTwo.\n".encode())
    assert [p.text for p in article.paragraphs] == ["One.", "Two."]


def test_jsonl_titles_and_paragraphs_read_as_the_other_files_do() -> None:
    lines = [
        {"title": "Port\nstrike\tgoes on", "paragraphs": ["lone\rcr", "\u200b", "crlf\r\nline"]},
    ]
    [article] = parse_jsonl_articles("feed.jsonl", jsonl(*lines))
    assert article.title == "Port strike goes on"
    assert [p.text for p in article.paragraphs] == ["lone\ncr", "crlf\nline"]
    with pytest.raises(IngestError, match="line 1: 'title' must be a string, not int"):
        parse_jsonl_articles("feed.jsonl", jsonl({"title": 123, "text": "A story."}))
