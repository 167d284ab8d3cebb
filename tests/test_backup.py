"""`annotator db backup` while writers run, then `annotator db restore`: every write that
was acknowledged before the backup began is back, and each article is whole."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import func, make_url, select

from annotator.extensions import db
from annotator.models import Article, Paragraph
from tests.conftest import import_text


@dataclass(frozen=True)
class Write:
    title: str
    started: float
    acknowledged: float


def keep_writing(app: Flask, name: str, stop: threading.Event, done: list[Write]) -> None:
    """Import one small article after another, noting when each commit returned."""
    number = 0
    while not stop.is_set():
        title = f"Writer {name} article {number}"
        started = time.monotonic()
        import_text(app, f"{name}-{number}.txt", f"{title}\nFirst paragraph {number}.\nSecond.\n")
        done.append(Write(title, started, time.monotonic()))
        number += 1


def stored_articles(app: Flask) -> dict[str, int]:
    """Each article's title and how many paragraphs it has."""
    with app.app_context():
        query = (
            select(Article.title, func.count(Paragraph.id))
            .join(Paragraph, Paragraph.article_id == Article.id)
            .group_by(Article.title)
        )
        return {title: count for title, count in db.session.execute(query)}


def wal_size(app: Flask) -> int:
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    wal = Path(f"{path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_backup_taken_during_writes_restores_every_acknowledged_write(
    app: Flask, runner, tmp_path: Path
) -> None:
    backup = tmp_path / "annotator.backup"
    stop, writes = threading.Event(), []
    writers = [
        threading.Thread(target=keep_writing, args=(app, name, stop, writes)) for name in "ab"
    ]
    for writer in writers:
        writer.start()
    try:
        time.sleep(1.0)
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            assert wal_size(app) > 0  # acknowledged writes sit in the WAL, not yet in the file
        began = time.monotonic()
        result = runner.invoke(args=["db", "backup", str(backup)])
        ended = time.monotonic()
        time.sleep(0.5)
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert result.exit_code == 0, result.output
    before = {w.title for w in writes if w.acknowledged < began}
    after = {w.title for w in writes if w.started > ended}
    assert len(before) >= 10 and after

    restored = runner.invoke(args=["db", "restore", str(backup), "--yes"])

    assert restored.exit_code == 0, restored.output
    articles = stored_articles(app)
    assert before <= set(articles)  # every write acknowledged before the backup began
    assert not after & set(articles)  # the database is the backup's, not what came later
    assert set(articles.values()) == {2}  # no article without its paragraphs


def test_restore_refuses_a_file_that_is_not_a_backup(app: Flask, runner, tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    import_text(app, "kept.txt", "Kept article\nIts paragraph.\n")

    result = runner.invoke(args=["db", "restore", str(junk), "--yes"])

    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "Kept article" in stored_articles(app)
