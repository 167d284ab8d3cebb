"""Article import: parse plain text, JSONL and saved web pages into drafts, then store them
all or nothing.

Parsing never touches the database, so a bad file anywhere in an import is reported
(file and line) before a single row is written. Storing only runs INSERTs in the caller's
transaction; the caller commits.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select

from annotator.annotations.writer.bulk import insert_rows
from annotator.boilerplate.rules import apply_on_import
from annotator.external_ids import FirstRecords
from annotator.imported_lines import ImportedLines
from annotator.loading import Collections
from annotator.models import Article, DbSession, Paragraph, Project
from annotator.repeats import LearnedBoilerplate, min_articles, recheck_repeated_lines
from annotator.suggestions.patterns import apply_patterns
from annotator.text import (
    ParagraphDraft,
    content_hash,
    guess_source,
    is_blank,
    mark_boilerplate,
    normalise_newlines,
    split_paragraphs,
    split_title_and_body,
    storable_json_source,
    unstorable_path,
)

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES
UNSTORABLE = (
    "text that cannot be stored (a lone surrogate such as \\ud800, which is not UTF-8, "
    "or a NUL character)"
)


class IngestError(ValueError):
    """Input that cannot be imported; says which file and line, so the user can fix it."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.message = message


@dataclass
class ArticleDraft:
    """An article parsed from a file, not yet stored."""

    title: str
    paragraphs: list[ParagraphDraft]
    external_id: str | None = None
    source: str | None = None
    published: date | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: Where it was read: the file, and the line for JSONL; errors point there.
    origin: tuple[str, int | None] = ("", None)
    #: The external id is the file's name, not one the user gave: two files of one name
    #: (a site mirror's index.html in each article's folder) are two articles, not a clash.
    id_from_file_name: bool = False

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, (p.text for p in self.paragraphs))


@dataclass(frozen=True)
class StoredArticle:
    """An article as an import stored it: what the summary shows, without ORM objects.
    Its paragraphs are stored at positions 0, 1, 2… in this order."""

    id: int
    title: str
    source: str | None
    published: date | None
    paragraphs: list[ParagraphDraft]


#: Articles the summary keeps whole (with their paragraphs) for the upload page's preview.
PREVIEW_ARTICLES = 20


@dataclass
class ImportSummary:
    """What an import did, for the CLI's and the upload page's report: counts, the new
    articles' ids and the first PREVIEW_ARTICLES of them whole, so that its size does not
    follow the corpus's text."""

    added: int = 0
    duplicates: int = 0
    paragraphs: int = 0
    boilerplate: int = 0
    #: Every new article's id, in the order of the import.
    article_ids: list[int] = field(default_factory=list)
    #: The first new articles, with their paragraphs as parsed (flags before learning).
    preview: list[StoredArticle] = field(default_factory=list)
    #: What corpus learning changed once the articles were stored.
    learned: LearnedBoilerplate = field(default_factory=LearnedBoilerplate)


def _check_file_name(name: str) -> None:
    """A file name the OS decoded with surrogateescape cannot be stored as the article's id."""
    if unstorable_path(name) is not None:
        printable = name.encode("utf-8", "backslashreplace").decode("utf-8")
        raise IngestError(printable, None, f"the file name holds {UNSTORABLE}; rename the file")


def parse_text_article(name: str, data: bytes) -> ArticleDraft:
    """A plain-text article: first non-empty line is the title, each further line a paragraph."""
    _check_file_name(name)
    title, body = split_title_and_body(_decode(name, data))
    if not title:
        raise IngestError(name, None, "the file is empty: expected a title line and paragraphs")
    if not body:
        raise IngestError(name, None, "no paragraphs after the title line")
    return ArticleDraft(
        title=title,
        paragraphs=mark_boilerplate(body),
        external_id=Path(name).stem[:MAX_KEY_LENGTH],
        source=guess_source(body),
        origin=(name, None),
        id_from_file_name=True,
    )


def parse_markdown_article(name: str, data: bytes) -> ArticleDraft:
    """A Markdown article: its front matter's title (else its first heading), each block a
    reader sees apart as a paragraph, markup dropped (annotator.markdown_article)."""
    from annotator.markdown_article import read_markdown

    _check_file_name(name)
    article = read_markdown(_decode(name, data))
    if not article.paragraphs:
        raise IngestError(name, None, "no paragraphs in the Markdown file")
    title = article.title
    paragraphs = article.paragraphs
    if title is None:  # neither front matter nor a first heading: the first line, as in .txt
        title, paragraphs = paragraphs[0], paragraphs[1:]
        if not paragraphs:
            raise IngestError(name, None, "no paragraphs after the title")
    return ArticleDraft(
        title=title,
        paragraphs=mark_boilerplate(paragraphs),
        external_id=Path(name).stem[:MAX_KEY_LENGTH],
        source=(article.source or "")[:MAX_KEY_LENGTH] or guess_source(paragraphs),
        published=article.published,
        meta=article.meta,
        origin=(name, None),
        id_from_file_name=True,
    )


def parse_html_article(name: str, data: bytes) -> ArticleDraft:
    """A saved web page: the article trafilatura finds in it, with title, author, date and site."""
    from annotator.webpage import PageError, read_page  # keeps lxml out of start-up

    try:
        page = read_page(data)
    except PageError as exc:
        raise IngestError(name, None, str(exc)) from None
    return ArticleDraft(
        title=page.title,
        paragraphs=mark_boilerplate(page.paragraphs),
        external_id=Path(name).stem[:MAX_KEY_LENGTH],
        source=guess_source(page.paragraphs) or (page.site or "")[:MAX_KEY_LENGTH] or None,
        published=page.published,
        meta=page.meta,
        origin=(name, None),
        id_from_file_name=True,
    )


def jsonl_records(name: str, data: bytes) -> Iterator[tuple[int, Any]]:
    """Each non-blank line's number and parsed JSON; every importer of JSONL reads through here,
    so bad UTF-8, bad JSON, nesting too deep and text that cannot be stored all name the line."""
    for number, line in _numbered_lines(name, data):
        yield number, parse_json(name, number, line)


#: What an integer of more than 4,300 digits is (sys.get_int_max_str_digits()): no reader
#: of ours takes one, and no id or offset needs one.
TOO_LONG_NUMBER = "a number too long to read"


class NotJsonNumber(ValueError):
    """NaN, Infinity or a number too large for a float (1e400, read as infinity): Python's
    reader takes them, JSON has no such number, and PostgreSQL's JSON refuses them."""


def _refuse_constant(name: str) -> Any:
    raise NotJsonNumber(name)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise NotJsonNumber(text)
    return value


#: The reader of every imported line: the standard one, refusing what is not a JSON number.
#: Built once: json.loads with an argument builds a decoder per call.
STRICT_JSON = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite)


def unreadable_json(name: str, line: int | None, error: ValueError | RecursionError) -> IngestError:
    """What STRICT_JSON's refusal says, with file and line: the one wording of every reader."""
    if isinstance(error, json.JSONDecodeError):
        message = f"invalid JSON ({error.msg})"
    elif isinstance(error, NotJsonNumber):
        message = f"invalid JSON ({error} is not a JSON number)"
    elif isinstance(error, RecursionError):
        message = "the JSON is nested too deeply to read"
    else:  # Python reads integers of at most 4,300 digits
        message = f"invalid JSON ({TOO_LONG_NUMBER})"
    return IngestError(name, line, message)


def parse_json(name: str, line: int | None, text: str) -> Any:
    """Parsed JSON whose every string can be stored, or an IngestError naming file, line, field."""
    # Not orjson: it reads an integer beyond 64 bits as a float, and searching a line for
    # one (a 19-digit run) costs what orjson saves (measured on a doccano line: 4.5 us each).
    try:
        if text.startswith("\ufeff"):  # as json.loads words it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = STRICT_JSON.decode(text)
    except (ValueError, RecursionError) as exc:
        raise unreadable_json(name, line, exc) from None
    path = None if storable_json_source(text) else unstorable_path(value)
    if path is not None:
        where = f"'{path}'" if path else "the record"
        raise IngestError(name, line, f"{where} holds {UNSTORABLE}")
    return value


def parse_jsonl_articles(name: str, data: bytes) -> list[ArticleDraft]:
    """JSONL, one article per line: {"title", "text" | "paragraphs", "external_id", ...}."""
    return list(stream_jsonl_articles(name, data.split(b"\n")))


def stream_jsonl_articles(name: str, lines: Iterable[bytes]) -> Iterator[ArticleDraft]:
    """parse_jsonl_articles over lines as they are read (an open file): memory follows the
    line, not the file. The same checks and line numbers; a file without one article fails."""
    count = 0
    for number, raw in enumerate(lines, start=1):
        line = _decode(name, raw, number).strip()
        if line:
            count += 1
            yield article_from_record(name, number, parse_json(name, number, line))
    if not count:
        raise IngestError(name, None, "no articles in the file")


def stream_named_file(path: Path) -> Iterator[ArticleDraft]:
    """parse_named_file for a file on disk; JSONL is read a line at a time."""
    if path.suffix.lower() not in JSONL_SUFFIXES:
        yield from parse_named_file(str(path), path.read_bytes())
        return
    with path.open("rb") as handle:
        yield from stream_jsonl_articles(str(path), handle)


#: Keys of annotation records (drafts.detect_kind), which an article record has none of.
ANNOTATION_KEYS = frozenset(
    {"label", "entities", "spans", "cats", "accept", "claims", "annotations", "data"}
)


def _annotation_hint(record: dict[str, Any]) -> str:
    """For a line that reads as an annotation record of no kind the import knows (a doccano
    line without its text, a spaCy line without spans, a Label Studio task on a line): what
    each kind needs, rather than only what an article lacks."""
    if "title" in record or not ANNOTATION_KEYS & record.keys():
        return ""
    return (
        "; it looks like an annotation record, which the import reads as doccano (text, and "
        "label or entities), spaCy (text and spans) or native (format_version); a Label "
        "Studio export is a .json file holding one array of tasks"
    )


def article_from_record(name: str, number: int, record: Any) -> ArticleDraft:
    """Validate one JSONL article record, naming the bad field."""
    if not isinstance(record, dict):
        raise IngestError(name, number, "each line must be a JSON object")
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise IngestError(name, number, f"'title' must be a string, not {type(title).__name__}")
    if title is None or is_blank(title):
        raise IngestError(name, number, "'title' is missing or empty" + _annotation_hint(record))
    paragraphs = _record_paragraphs(name, number, record)
    return ArticleDraft(
        title=" ".join(title.split()),  # one line, as every other kind of file gives it
        paragraphs=mark_boilerplate(paragraphs),
        external_id=_optional_text(name, number, record, "external_id"),
        source=_optional_text(name, number, record, "source") or guess_source(paragraphs),
        published=_published(name, number, record.get("published")),
        meta=_meta(name, number, record.get("meta")),
        origin=(name, number),
    )


def _record_paragraphs(name: str, number: int, record: dict[str, Any]) -> list[str]:
    if "paragraphs" in record:
        paragraphs = record["paragraphs"]
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            raise IngestError(name, number, "'paragraphs' must be a list of strings")
        paragraphs = [normalise_newlines(p) for p in paragraphs if not is_blank(p)]
    elif isinstance(record.get("text"), str):
        paragraphs = split_paragraphs(record["text"])
    else:
        raise IngestError(name, number, "needs 'text' (a string) or 'paragraphs' (a list)")
    if not paragraphs:
        raise IngestError(name, number, "the article has no paragraphs")
    return paragraphs


#: The longest external_id and source the database holds (VARCHAR(255): PostgreSQL
#: refuses a longer one, SQLite would store it).
MAX_KEY_LENGTH = 255


def _optional_text(name: str, number: int, record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise IngestError(name, number, f"'{key}' must be a string")
    text = str(value)
    if len(text) > MAX_KEY_LENGTH:
        raise IngestError(name, number, f"'{key}' is longer than {MAX_KEY_LENGTH} characters")
    return text


def _published(name: str, number: int, value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    raise IngestError(name, number, "'published' must be an ISO 8601 date, e.g. 2024-05-13")


def _meta(name: str, number: int, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise IngestError(name, number, "'meta' must be a JSON object")
    return value


def _decode(name: str, data: bytes, line: int | None = None) -> str:
    """A text file, or one line of one: UTF-8 text without NUL characters (which are not
    text, and which PostgreSQL cannot store)."""
    try:
        text = data.decode("utf-8-sig" if line in (None, 1) else "utf-8")
    except UnicodeDecodeError:
        if line is None:
            line = _first_undecodable_line(data)
        raise IngestError(name, line, "the file is not UTF-8 text") from None
    if "\x00" in text:
        if line is None:
            line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise IngestError(name, line, "the line holds a NUL character, which is not text")
    return text


def _first_undecodable_line(data: bytes) -> int:
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 1


def _numbered_lines(name: str, data: bytes) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line = _decode(name, raw, number).strip()
        if line:
            yield number, line


def parse_named_file(name: str, data: bytes) -> list[ArticleDraft]:
    """Parse one file by its extension: JSONL holds many articles, a text file one."""
    suffix = Path(name).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return parse_jsonl_articles(name, data)
    if suffix in HTML_SUFFIXES:
        return [parse_html_article(name, data)]
    if suffix in MARKDOWN_SUFFIXES:
        return [parse_markdown_article(name, data)]
    if suffix in TEXT_SUFFIXES or not suffix:
        return [parse_text_article(name, data)]
    if suffix == ".json":  # not one array of tasks: annotator.formats.registry said so
        raise IngestError(
            name, None, "a .json file is read as a Label Studio export: one JSON array of tasks"
        )
    raise IngestError(name, None, "unsupported file type: use .txt, .md, .jsonl or .html")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus the importable files inside named folders, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not found:
                kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
                raise IngestError(str(path), None, f"the folder holds no file to import ({kinds})")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise IngestError(str(path), None, "no such file or folder")
    return files


def store_articles(
    session: DbSession, project: Project, drafts: Iterable[ArticleDraft]
) -> ImportSummary:
    """Add the drafts that are new to the project (identical articles are skipped), then mark
    as boilerplate the lines their sources repeat across the project (annotator.repeats).

    The drafts are stored as they come, ARTICLE_BATCH at a time, so a parser that yields them
    as it reads keeps only a batch of parsed records in memory. Rows go in as bulk INSERTs
    (Core executemany; only the article ids come back) rather than one ORM object per
    paragraph. Nothing is committed: the caller's single commit (or rollback) keeps the import
    all or nothing.
    """
    summary = ImportSummary()
    first = FirstRecords(session)
    learning = ImportedLines(session) if min_articles(project) >= 2 else None
    collections = Collections(every=COLLECT_EVERY)
    for chunk in _chunks(drafts, ARTICLE_BATCH):
        hashed = [(draft, draft.content_hash) for draft in chunk]
        _refuse_clashing_ids(hashed, first)
        fresh = _new_drafts(hashed, _known_hashes(session, project, hashed), summary)
        article_ids = _insert_articles(session, project, fresh)
        stored = [
            (article_id, draft) for article_id, (draft, _) in zip(article_ids, fresh, strict=True)
        ]
        _insert_paragraphs(session, stored)
        for article_id, draft in stored:
            _count(summary, article_id, draft)
        if learning is not None:
            learning.add([(i, draft.source, draft.paragraphs) for i, draft in stored])
        collections.batch_done()
    first.close()
    ids = summary.article_ids
    # The project's own rules have the last word over the built-in detection; corpus
    # learning then marks the lines sources repeat, leaving alone what the rules decide.
    summary.boilerplate += apply_on_import(session, project, ids)
    if learning is not None:
        if ids:
            summary.learned = recheck_repeated_lines(session, project, learning)
        learning.close()
    # Suggestions last: they skip what is boilerplate by now.
    _suggest_patterns(session, project, ids)
    return summary


def _count(summary: ImportSummary, article_id: int, draft: ArticleDraft) -> None:
    """Add a stored article to the summary: counts and id, and the article whole while the
    preview has room."""
    summary.added += 1
    summary.article_ids.append(article_id)
    summary.paragraphs += len(draft.paragraphs)
    summary.boilerplate += sum(p.is_boilerplate for p in draft.paragraphs)
    if len(summary.preview) < PREVIEW_ARTICLES:
        summary.preview.append(
            StoredArticle(article_id, draft.title, draft.source, draft.published, draft.paragraphs)
        )


#: Articles stored per round of INSERTs: what an import holds of the parsed file at once.
ARTICLE_BATCH = 500
#: Batches between full garbage collections (annotator.loading.Collections).
COLLECT_EVERY = 2


def _chunks(drafts: Iterable[ArticleDraft], size: int) -> Iterator[list[ArticleDraft]]:
    iterator = iter(drafts)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _known_hashes(
    session: DbSession, project: Project, hashed: list[tuple[ArticleDraft, str]]
) -> set[str]:
    """The batch's hashes the project holds already (earlier batches included: they are
    stored by now); the unique index on (project, hash) answers."""
    digests = sorted({digest for _, digest in hashed})
    query = select(Article.content_hash).where(
        Article.project_id == project.id, Article.content_hash.in_(digests)
    )
    return set(session.scalars(query))


def _new_drafts(
    hashed: list[tuple[ArticleDraft, str]], known: set[str], summary: ImportSummary
) -> list[tuple[ArticleDraft, str]]:
    """The drafts not yet in the project (nor earlier in the batch), with their hashes."""
    fresh: list[tuple[ArticleDraft, str]] = []
    for draft, digest in hashed:
        if digest in known:
            summary.duplicates += 1
            continue
        known.add(digest)
        fresh.append((draft, digest))
    return fresh


def _insert_articles(
    session: DbSession, project: Project, fresh: list[tuple[ArticleDraft, str]]
) -> list[int]:
    if not fresh:
        return []
    table = cast(Table, Article.__table__)
    rows = [
        {
            "project_id": project.id,
            "external_id": draft.external_id,
            "title": draft.title,
            "source": draft.source,
            "published": draft.published,
            "meta": draft.meta,
            "content_hash": digest,
        }
        for draft, digest in fresh
    ]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


def _insert_paragraphs(session: DbSession, articles: list[tuple[int, ArticleDraft]]) -> None:
    """Tuples in blocks of rows per statement (writer.bulk), not a dict per paragraph that
    SQLAlchemy processes value by value."""
    rows = [
        (article_id, i, p.text, p.is_boilerplate)
        for article_id, draft in articles
        for i, p in enumerate(draft.paragraphs)
    ]
    insert_rows(session, cast(Table, Paragraph.__table__), _PARAGRAPH_COLUMNS, rows)


_PARAGRAPH_COLUMNS = ("article_id", "position", "text", "is_boilerplate")


def _suggest_patterns(session: DbSession, project: Project, article_ids: list[int]) -> None:
    """New articles get the project's pattern suggestions at once (one query when it has none)."""
    for at in range(0, len(article_ids), 500):
        if apply_patterns(session, project, article_ids[at : at + 500]) is None:
            return


def _refuse_clashing_ids(hashed: list[tuple[ArticleDraft, str]], first: FirstRecords) -> None:
    """One external id names one article: two records of an import that share it with
    different text are refused, naming both, rather than stored as two articles. An id
    taken from a file's name was not given: files of one name are simply two articles (an
    annotation file naming that id is then refused as ambiguous)."""
    records = [
        (draft.external_id, digest, draft.origin)
        for draft, digest in hashed
        if draft.external_id is not None and not draft.id_from_file_name
    ]
    clash = first.clash(records) if records else None
    if clash is not None:
        external_id, (name, line), seen = clash
        raise IngestError(
            name,
            line,
            f"external_id {external_id!r} is also used by {_where(seen)} for "
            "different text; give each article its own id",
        )


def _where(origin: tuple[str, int | None]) -> str:
    name, line = origin
    return f"{name}, line {line}" if line else name
