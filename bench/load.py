"""Build a benchmark database: users, articles through the real importer, annotations in bulk."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from annotator.accounts import create_user
from annotator.extensions import db
from annotator.ingest import store_articles
from annotator.models import Annotation, ArticleStatus, Paragraph, utcnow
from annotator.projects import ensure_default_project
from bench.corpus import ParagraphPlan, articles

ANNOTATORS = ["ann1", "ann2", "ann3"]
BATCH = 200


@dataclass
class LoadFigures:
    articles: int
    paragraphs: int
    annotations: int
    article_seconds: float
    annotation_seconds: float


def load_corpus(count: int, paragraphs: int) -> LoadFigures:
    """Inside an app context on an upgraded, empty database."""
    project = ensure_default_project(db.session)
    users = [
        create_user(db.session, n, "x" * 12, "annotator", "pbkdf2:sha256:1").id for n in ANNOTATORS
    ]
    db.session.commit()
    figures = LoadFigures(count, count * paragraphs, 0, 0.0, 0.0)
    batch: list[Any] = []
    for item in articles(count, paragraphs):
        batch.append(item)
        if len(batch) == BATCH:
            _load_batch(project, users, batch, figures)
            batch = []
    if batch:
        _load_batch(project, users, batch, figures)
    return figures


def _load_batch(project: Any, users: list[int], batch: list[Any], figures: LoadFigures) -> None:
    started = time.perf_counter()
    summary = store_articles(db.session, project, [draft for draft, _ in batch])
    db.session.commit()
    figures.article_seconds += time.perf_counter() - started
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    statuses: list[dict[str, Any]] = []
    for article_id, (_, plans) in zip(summary.article_ids, batch, strict=True):
        user = users[article_id % len(users)]
        statuses.append({"article_id": article_id, "user_id": user, "status": "done"})
        ids = db.session.scalars(
            select(Paragraph.id)
            .where(Paragraph.article_id == article_id)
            .order_by(Paragraph.position)
        ).all()
        for paragraph_id, plan in zip(ids, plans, strict=True):
            rows.extend(_rows(paragraph_id, user, plan))
    db.session.execute(insert(Annotation), rows)
    db.session.execute(insert(ArticleStatus), statuses)
    db.session.commit()
    figures.annotations += len(rows)
    figures.annotation_seconds += time.perf_counter() - started


def _rows(paragraph_id: int, user: int, plan: ParagraphPlan) -> list[dict[str, Any]]:
    now = utcnow()
    base = {
        "paragraph_id": paragraph_id,
        "annotator_id": user,
        "is_gold": False,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    rows = [
        {
            **base,
            "layer": "entity",
            "start": e.start,
            "end": e.end,
            "label": e.label,
            "attributes": {},
        }
        for e in plan.entities
    ]
    if plan.claim:
        rows.append(
            {
                **base,
                "layer": "claim",
                "start": plan.claim.start,
                "end": plan.claim.end,
                "label": plan.claim.label,
                "attributes": {
                    "attribution": "reported",
                    "checkworthy": "yes",
                    "claimant": {"entity_id": None, "text": "officials"},
                },
            }
        )
    rows.append(
        {
            **base,
            "layer": "sentiment",
            "start": None,
            "end": None,
            "label": plan.sentiment,
            "attributes": {},
        }
    )
    return rows
