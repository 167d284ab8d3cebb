"""Time a per-project boilerplate rule on a large project: preview, apply, undo, and an
import while the rule is in force.

Usage: python -m bench.boilerplate [--articles 5000] [--paragraphs 12] [--database URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

Result = TypeVar("Result")
PROMO = "Follow us on social media for more stories like this one."


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.boilerplate", description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--paragraphs", type=int, default=12)
    parser.add_argument("--database", help="A database URL (default: a fresh SQLite file).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        run(url, args.articles, args.paragraphs)


def timed(label: str, action: Callable[[], Result]) -> Result:
    start = time.perf_counter()
    result = action()
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s")
    return result


def drafts(count: int, paragraphs: int, offset: int = 0) -> list[Any]:
    """Articles whose last paragraph is a promo line the built-in rules do not catch."""
    from annotator.ingest import ArticleDraft
    from annotator.text import ParagraphDraft

    return [
        ArticleDraft(
            title=f"Story {offset + n}",
            paragraphs=[
                ParagraphDraft(f"Paragraph {i} of story {offset + n}: markets moved.", False)
                for i in range(paragraphs - 1)
            ]
            + [ParagraphDraft(PROMO, False)],
        )
        for n in range(count)
    ]


def run(url: str, articles: int, paragraphs: int) -> None:
    from annotator import create_app, database
    from annotator.accounts import create_user
    from annotator.boilerplate.rules import add_rule, apply_rule, candidates, undo_rule
    from annotator.extensions import db
    from annotator.ingest import store_articles
    from annotator.projects import ensure_default_project

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "boilerplate bench key, 32 bytes+"})
    with app.app_context():
        database.upgrade()
        project = ensure_default_project(db.session)
        admin = create_user(db.session, "bench", "bench password 123", "admin", "pbkdf2:sha256:1")
        store_articles(db.session, project, drafts(articles, paragraphs))
        db.session.commit()
        print(f"{articles} articles, {articles * paragraphs} paragraphs on {url.split(':')[0]}")
        rule = timed(
            "add a regex rule (probe + scan)",
            lambda: add_rule(db.session, admin, project, "regex", r"^Follow us\b", "boilerplate"),
        )
        found = timed("preview (scan every paragraph)", lambda: candidates(db.session, rule))
        print(f"{'  paragraphs it would change':<44} {len(found):7d}")
        outcome = timed("apply (one transaction)", lambda: apply_rule(db.session, admin, rule))
        db.session.commit()
        print(f"{'  paragraphs changed':<44} {outcome.changed:7d}")
        timed(
            "import 500 articles with the rule in force",
            lambda: store_articles(db.session, project, drafts(500, paragraphs, articles)),
        )
        db.session.commit()
        undone = timed(
            "undo (restore exactly what it changed)", lambda: undo_rule(db.session, admin, rule)
        )
        db.session.commit()
        print(f"{'  paragraphs restored':<44} {undone.changed:7d}")
        db.engine.dispose()


if __name__ == "__main__":
    main()
