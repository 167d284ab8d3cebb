"""Time what suggestions cost: propagation when an annotator opens an article (it is computed
then, from their labelled strings in the project), and applying a pattern file to a project.

Usage: python -m bench.suggestions [--articles 1000] [--paragraphs 12] [--patterns 300]

Prints one JSON line of figures. Propagation runs inside the request that lists an article's
suggestions, so its time is what the annotator waits for.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from annotator import create_app, database
from annotator.extensions import db
from annotator.models import Annotation, Article, Paragraph, Suggestion, User, utcnow
from annotator.projects import ensure_default_project
from annotator.suggestions.patterns import apply_patterns, blank, save_pattern_file
from annotator.suggestions.service import article_suggestions
from bench.corpus import WORDS
from bench.load import load_corpus

KEY = "bench secret key, 32 bytes or longer"
#: Distinct strings the stressed annotator has labelled (propagation reads at most 1,000).
STRESS_STRINGS = 1000


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.suggestions", description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--paragraphs", type=int, default=12)
    parser.add_argument("--patterns", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench secret key, 32 bytes or longer!",
                "TESTING": True,
            }
        )
        with app.app_context():
            database.upgrade()
            load_corpus(args.articles, args.paragraphs)
            figures = {"articles": args.articles, "paragraphs": args.articles * args.paragraphs}
            figures |= _propagation()
            figures |= _stressed_propagation()
            figures |= _patterns(args.patterns)
            db.engine.dispose()
    print(json.dumps(figures))


def _user(name: str) -> User:
    user = db.session.scalar(select(User).where(User.username_key == name))
    assert user is not None
    return user


def _timed_open(user: User, article: Article) -> tuple[float, int]:
    started = time.perf_counter()
    found = article_suggestions(db.session, user, article)
    db.session.commit()
    return time.perf_counter() - started, len(found.shown)


def _propagation() -> dict[str, Any]:
    """ann1 opens an article ann2 annotated: propagation from ann1's labels, first and again."""
    user = _user("ann1")
    theirs = (Article.id % 3) == 1  # bench.load gives article n to annotator n % 3
    article = db.session.scalars(select(Article).where(theirs).order_by(Article.id.desc())).first()
    assert article is not None
    first, shown = _timed_open(user, article)
    again, _ = _timed_open(user, article)
    return {"open_first_ms": first * 1000, "open_again_ms": again * 1000, "shown": shown}


def _stressed_propagation() -> dict[str, Any]:
    """ann3 has labelled 1,000 distinct strings (common words included): the bound's worst."""
    user = _user("ann3")
    paragraph = db.session.scalars(select(Paragraph).order_by(Paragraph.id)).first()
    assert paragraph is not None
    text = paragraph.text
    rows = []
    for n, word in enumerate(_strings(STRESS_STRINGS)):
        rows.append(_entity_row(paragraph.id, user.id, len(text), len(text) + len(word)))
        text += " " + word if n else word
    paragraph.text = text
    db.session.execute(insert(Annotation), rows)
    db.session.commit()
    article = db.session.scalars(select(Article).order_by(Article.id.desc())).first()
    assert article is not None
    first, shown = _timed_open(user, article)
    again, _ = _timed_open(user, article)
    return {"stress_open_first_ms": first * 1000, "stress_open_again_ms": again * 1000,
            "stress_shown": shown}  # fmt: skip


def _strings(count: int) -> list[str]:
    words = sorted(set(WORDS))
    out = [f"{a} {b}" for a in words for b in words if a != b][: count - len(words)]
    return words + out


def _entity_row(paragraph_id: int, user_id: int, start: int, end: int) -> dict[str, Any]:
    now = utcnow()
    return {"paragraph_id": paragraph_id, "annotator_id": user_id, "is_gold": False,
            "layer": "entity", "start": start, "end": end, "label": "ORG", "attributes": {},
            "version": 1, "created_at": now, "updated_at": now}  # fmt: skip


def _patterns(count: int) -> dict[str, Any]:
    """A file of `count` phrase patterns (two-word phrases) applied to the whole project."""
    project = ensure_default_project(db.session)
    patterns = [{"label": "ORG", "pattern": p} for p in _strings(count + len(set(WORDS)))[-count:]]
    admin = _user("ann1")
    save_pattern_file(db.session, admin, project, "bench.jsonl", patterns)
    started = time.perf_counter()
    blank("en")  # importing spaCy: once per process, apart from matching
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    applied = apply_patterns(db.session, project)
    db.session.commit()
    seconds = time.perf_counter() - started
    stored = db.session.scalar(select(func.count()).select_from(Suggestion).where(
        Suggestion.source == "pattern"))  # fmt: skip
    assert applied is not None
    return {"spacy_load_seconds": loaded, "patterns": count, "pattern_seconds": seconds,
            "pattern_suggestions": stored,
            "paragraphs_per_second": applied.paragraphs / seconds}  # fmt: skip


if __name__ == "__main__":
    main()
