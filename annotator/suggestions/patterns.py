"""Pattern files: spaCy EntityRuler / Prodigy patterns JSONL, checked line by line on upload
and matched with spaCy's own Matcher and PhraseMatcher on a blank tokenizer.

    {"label": "GPE", "pattern": "South Korea"}
    {"label": "GPE", "pattern": [{"LOWER": "south"}, {"LOWER": "korea"}]}

spaCy is imported inside the functions that need it: the web process loads it only when an
admin uploads patterns or articles arrive in a project that has some.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from annotator.models import Article, DbSession, Layer, Paragraph, PatternFile, Project, User
from annotator.schema import entity_labels
from annotator.suggestions.matching import hyphenated_at
from annotator.suggestions.store import ReplaceResult, SuggestedSpan, replace_suggestions

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

SOURCE = "pattern"
MAX_LINES = 100_000
KEYS = {"label", "pattern", "id"}
#: Token attributes only a trained pipeline sets: on a blank tokenizer they never match.
NEEDS_PIPELINE = {
    "POS", "TAG", "MORPH", "DEP", "LEMMA", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID",
    "SENT_START", "IS_SENT_START",
}  # fmt: skip


class PatternError(ValueError):
    """A pattern file that cannot be used; names the line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Applied:
    """What applying a project's patterns did."""

    paragraphs: int
    result: ReplaceResult


# --- reading ----------------------------------------------------------------------------


def parse_patterns(data: bytes, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The file's patterns, or PatternError naming the first bad line (nothing is kept)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PatternError(data[: exc.start].count(b"\n") + 1, "is not UTF-8 text") from None
    labels = set(entity_labels(schema))
    numbered = []
    for number, line in enumerate(text.splitlines(), start=1):
        if number > MAX_LINES:
            raise PatternError(number, f"a pattern file holds at most {MAX_LINES} lines")
        if line.strip():
            numbered.append((number, _pattern(number, line, labels)))
    if not numbered:
        raise PatternError(1, "the file holds no patterns")
    _probe_with_re([(number, e) for number, p in numbered for e in _regexes(p["pattern"])])
    return [pattern for _, pattern in numbered]


def _pattern(number: int, line: str, labels: set[str]) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise PatternError(number, f"is not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError):  # an integer of 4,301 digits; nesting past the stack
        raise PatternError(number, "is not JSON that can be read") from None
    if not isinstance(item, dict):
        raise PatternError(number, 'must be an object like {"label": ..., "pattern": ...}')
    unknown = sorted(set(item) - KEYS)
    if unknown:
        raise PatternError(number, f"unknown field {unknown[0]!r} (use label, pattern, id)")
    label = item.get("label")
    if label not in labels:
        raise PatternError(number, f"label {label!r} is not an entity label of the project")
    return {"label": label, "pattern": _checked_pattern(number, item.get("pattern"))}


def _checked_pattern(number: int, pattern: Any) -> str | list[dict[str, Any]]:
    if isinstance(pattern, str):
        if not pattern.strip():
            raise PatternError(number, "a phrase pattern must not be empty")
        return pattern
    if not isinstance(pattern, list) or not pattern:
        raise PatternError(number, "pattern must be a phrase or a non-empty list of tokens")
    from spacy.schemas import validate_token_pattern

    errors = validate_token_pattern(pattern)
    if errors:
        raise PatternError(number, f"bad token pattern: {errors[0]}")
    for token in pattern:
        needs = sorted(key for key in token if key.upper() in NEEDS_PIPELINE)
        if needs:
            raise PatternError(
                number, f"token attribute {needs[0]} needs a trained pipeline; use ORTH, LOWER…"
            )
    for expression in _regexes(pattern):
        _check_regex(number, expression)
    return pattern


def _regexes(value: Any) -> Iterable[Any]:
    """Every REGEX predicate's expression in a token pattern, at any depth."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, str) and key.upper() == "REGEX":
                yield inner
            else:
                yield from _regexes(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _regexes(inner)


def _check_regex(number: int, expression: Any) -> None:
    """A REGEX predicate passes the checks of a boilerplate rule's regex. spaCy's Matcher
    runs it with `re`, which has no timeout, on the tokens of untrusted article text:
    `^(a+)+b$` took 8.7 s on one token of 28 letters, and doubles with each one more. The
    `regex` package those checks probe with is cleverer than `re` (it answered that pattern
    on 3,000 letters in 0.03 s), so `re` itself is probed too, once a file (_probe_with_re)."""
    from annotator.boilerplate import patterns as rules

    if not isinstance(expression, str):
        raise PatternError(number, "a REGEX must be a string")
    try:
        rules.validate("regex", expression)
        re.compile(expression)
    except (rules.PatternError, re.error) as exc:
        raise PatternError(number, f"REGEX {expression[:60]!r}: {exc}") from None


#: What `re` may take to search all the probe texts with one REGEX.
RE_PROBE_SECONDS = 0.25
#: What starting the probing process may take, on top of the probes' own time.
RE_PROBE_START_SECONDS = 2.0
#: The probing process: it says which expression it starts before searching with it, so
#: the one it is stopped on, or stops at when over its time, is the one that backtracks.
_RE_PROBE = """
import json, re, sys, time
expressions, probes, budget = json.load(sys.stdin)
for index, expression in enumerate(expressions):
    print(index, flush=True)
    compiled = re.compile(expression)
    started = time.perf_counter()
    for text in probes:
        compiled.search(text)
    if time.perf_counter() - started > budget:
        sys.exit()
print("done", flush=True)
"""


def _probe_with_re(numbered: Sequence[tuple[int, str]]) -> None:
    """Search the boilerplate probe texts with each (line, REGEX) using `re`, spaCy's own
    engine, in a process of its own: `re` cannot be stopped from within, a process can.
    PatternError names the first line whose REGEX is slow or never ends."""
    if not numbered:
        return
    import subprocess
    import sys

    from annotator.boilerplate.patterns import PROBES

    given = json.dumps([[e for _, e in numbered], PROBES, RE_PROBE_SECONDS])
    command = [sys.executable, "-I", "-S", "-c", _RE_PROBE]
    limit = RE_PROBE_START_SECONDS + RE_PROBE_SECONDS * len(numbered)
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            said, _ = process.communicate(given, timeout=limit)
        except subprocess.TimeoutExpired:
            process.kill()
            said, _ = process.communicate()
    lines = said.split()
    if lines[-1:] == ["done"]:
        return
    number, expression = numbered[int(lines[-1])] if lines else numbered[0]
    raise PatternError(
        number,
        f"REGEX {expression[:60]!r}: the regular expression backtracks too much (nested "
        "repetition such as (a+)+ makes matching take forever); simplify it.",
    )


# --- matching ---------------------------------------------------------------------------


def blank(language: str) -> Language:
    import spacy

    return spacy.blank(language)


def match(
    nlp: Language, patterns: Sequence[dict[str, Any]], paragraphs: Iterable[tuple[int, str]]
) -> list[SuggestedSpan]:
    """Entity suggestions where the patterns match, longest first and never overlapping.

    spaCy's tokenizer splits "Tae-yul" and "one-China" at the hyphen; a match glued to a
    word by a joining hyphen is dropped, by the rule propagation follows (matching.py).
    spaCy's character offsets index the Python string: they are code points already."""
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.util import filter_spans

    tokens, phrases = Matcher(nlp.vocab), PhraseMatcher(nlp.vocab)
    for item in patterns:
        if isinstance(item["pattern"], str):
            phrases.add(item["label"], [nlp.make_doc(item["pattern"])])
        else:
            tokens.add(item["label"], [item["pattern"]])
    found = []
    for paragraph_id, text in paragraphs:
        doc = nlp.make_doc(text)
        # An empty matcher warns on every call: ask only the ones with patterns.
        hits = [*(tokens(doc, as_spans=True) if len(tokens) else [])]
        hits += phrases(doc, as_spans=True) if len(phrases) else []
        hits = [h for h in hits if not hyphenated_at(text, h.start_char, h.end_char)]
        for span in filter_spans(hits):
            found.append(
                SuggestedSpan(
                    paragraph_id, Layer.ENTITY.value, span.label_, span.start_char, span.end_char
                )
            )
    return found


# --- storing ----------------------------------------------------------------------------


def save_pattern_file(
    session: DbSession, actor: User, project: Project, name: str, patterns: list[dict[str, Any]]
) -> PatternFile:
    """Store (or replace, by name) one of the project's pattern files."""
    query = select(PatternFile).where(PatternFile.project_id == project.id)
    stored = session.scalars(query.where(PatternFile.name == name)).first()
    if stored is None:
        stored = PatternFile(project_id=project.id, name=name)
        session.add(stored)
    stored.patterns = patterns
    stored.uploaded_by_id = actor.id
    session.flush()
    return stored


def project_patterns(session: DbSession, project_id: int) -> list[dict[str, Any]]:
    query = select(PatternFile.patterns).where(PatternFile.project_id == project_id)
    return [item for patterns in session.scalars(query) for item in patterns]


def apply_patterns(
    session: DbSession, project: Project, article_ids: Sequence[int] | None = None
) -> Applied | None:
    """Suggest what the project's patterns match in its content paragraphs (or only those of
    the articles `article_ids`); None when the project has no patterns, without loading spaCy."""
    patterns = project_patterns(session, project.id)
    if not patterns and article_ids is not None:
        return None
    paragraphs = _content_paragraphs(session, project, article_ids)
    items = match(blank(language_of(project)), patterns, paragraphs) if patterns else []
    result = replace_suggestions(session, [p for p, _ in paragraphs], SOURCE, items)
    return Applied(len(paragraphs), result)


def tokenizer_problem(language: str) -> str | None:
    """Why spaCy has no blank tokenizer for this language code here, or None."""
    try:
        blank(language)
    except (ImportError, ValueError) as exc:
        first = str(exc).split(". ")[0].split(" (")[0]
        return f"No spaCy tokenizer for {language!r} here: {first}"
    return None


def language_of(project: Project) -> str:
    """The tokenizer's language: the project's "language" setting, else English."""
    language = (project.settings or {}).get("language")
    return language if isinstance(language, str) and language else "en"


def _content_paragraphs(
    session: DbSession, project: Project, article_ids: Sequence[int] | None
) -> list[tuple[int, str]]:
    query = (
        select(Paragraph.id, Paragraph.text)
        .join(Article, Paragraph.article_id == Article.id)
        .where(Article.project_id == project.id, Paragraph.is_boilerplate.is_(False))
        .order_by(Paragraph.id)
    )
    if article_ids is not None:
        query = query.where(Article.id.in_(list(article_ids)))
    return [(paragraph_id, text) for paragraph_id, text in session.execute(query)]
