"""The agreement benchmark: three annotators finish every article, each with their own
slips (a dropped span, another label, a shorter span, another sentiment or claim type).

`python -m bench --parts agreement` loads the corpus and runs `python -m bench.agreement URL`
in a fresh process, which computes the whole project's agreement and prints JSON figures.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from typing import Any

from sqlalchemy import func, insert, select

from annotator.accounts import create_user
from annotator.extensions import db
from annotator.ingest import store_articles
from annotator.models import Annotation, ArticleStatus, Paragraph, utcnow
from annotator.projects import ensure_default_project
from bench.corpus import CLAIMS, NAMES, SENTIMENTS, ParagraphPlan, SpanPlan, articles

ANNOTATORS = ["agr1", "agr2", "agr3"]
BATCH = 100
SLIP = 0.08


def load_shared_corpus(count: int, paragraphs: int) -> dict[str, Any]:
    """Inside an app context on an upgraded, empty database; returns what was loaded."""
    project = ensure_default_project(db.session)
    users = [
        create_user(db.session, n, "x" * 12, "annotator", "pbkdf2:sha256:1").id for n in ANNOTATORS
    ]
    db.session.commit()
    rng = random.Random(9)
    figures = {"articles": count, "paragraphs": count * paragraphs, "annotations": 0, "spans": 0}
    started = time.perf_counter()
    batch: list[Any] = []
    for item in articles(count, paragraphs):
        batch.append(item)
        if len(batch) == BATCH:
            _load_batch(project, users, batch, rng, figures)
            batch = []
    if batch:
        _load_batch(project, users, batch, rng, figures)
    figures["load_seconds"] = time.perf_counter() - started
    return figures


def _load_batch(
    project: Any, users: list[int], batch: list[Any], rng: random.Random, figures: dict[str, Any]
) -> None:
    summary = store_articles(db.session, project, [draft for draft, _ in batch])
    next_id = (db.session.scalar(select(func.max(Annotation.id))) or 0) + 1
    rows: list[dict[str, Any]] = []
    statuses = []
    for article_id, (_, plans) in zip(summary.article_ids, batch, strict=True):
        ids = db.session.scalars(
            select(Paragraph.id)
            .where(Paragraph.article_id == article_id)
            .order_by(Paragraph.position)
        ).all()
        for user in users:
            statuses.append({"article_id": article_id, "user_id": user, "status": "done"})
            for paragraph_id, plan in zip(ids, plans, strict=True):
                made = _rows(paragraph_id, user, plan, rng, next_id)
                next_id += len(made)
                rows.extend(made)
    db.session.execute(insert(Annotation), rows)
    db.session.execute(insert(ArticleStatus), statuses)
    db.session.commit()
    figures["annotations"] += len(rows)
    figures["spans"] += sum(1 for r in rows if r["layer"] != "sentiment")


def _rows(
    paragraph_id: int, user: int, plan: ParagraphPlan, rng: random.Random, next_id: int
) -> list[dict[str, Any]]:
    now = utcnow()
    base = {
        "paragraph_id": paragraph_id,
        "annotator_id": user,
        "is_gold": False,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    rows = []
    for entity in plan.entities:
        span = _slip(entity, rng)
        if span is not None:
            rows.append(
                {
                    **base,
                    "id": next_id + len(rows),
                    "layer": "entity",
                    "start": span.start,
                    "end": span.end,
                    "label": span.label,
                    "attributes": {},
                    "target_id": None,
                }
            )
    if rows:
        target = rows[0]["id"]
        rows.append(
            {
                **base,
                "id": next_id + len(rows),
                "layer": "sentiment",
                "start": None,
                "end": None,
                "label": _maybe(plan.sentiment, SENTIMENTS, rng),
                "attributes": {"target_id": target},
                "target_id": target,
            }
        )
    if plan.claim:
        claimant = {"entity_id": None, "text": _maybe("officials", ["officials", "ministers"], rng)}
        attributes = {
            "attribution": _maybe("reported", ["reported", "direct_quote"], rng),
            "checkworthy": _maybe("yes", ["yes", "no"], rng),
            "claimant": claimant,
        }
        rows.append(
            {
                **base,
                "id": next_id + len(rows),
                "layer": "claim",
                "start": plan.claim.start,
                "end": plan.claim.end - (1 if rng.random() < SLIP else 0),
                "label": _maybe(plan.claim.label, CLAIMS, rng),
                "attributes": attributes,
                "target_id": None,
            }
        )
    rows.append(
        {
            **base,
            "id": next_id + len(rows),
            "layer": "sentiment",
            "start": None,
            "end": None,
            "label": _maybe(plan.sentiment, SENTIMENTS, rng),
            "attributes": {},
            "target_id": None,
        }
    )
    return rows


def _slip(span: SpanPlan, rng: random.Random) -> SpanPlan | None:
    roll = rng.random()
    if roll < SLIP:
        return None
    if roll < 2 * SLIP:
        return SpanPlan(span.start, span.end, rng.choice(NAMES)[1])
    if roll < 3 * SLIP and span.end - span.start > 1:
        return SpanPlan(span.start, span.end - 1, span.label)
    return span


def _maybe(value: str, choices: list[str], rng: random.Random) -> str:
    return value if rng.random() > 3 * SLIP else rng.choice(choices)


# --- the measured process ----------------------------------------------------------------


def main(database_url: str) -> None:
    from annotator import create_app
    from annotator.quality import project_agreement

    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "benchmark secret key, 32 bytes or longer"}
    )
    with app.app_context():
        project = ensure_default_project(db.session)
        baseline = _peak_mb()
        started = time.perf_counter()
        report = project_agreement(db.session, project)
        seconds = time.perf_counter() - started
    layers = report["layers"]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "baseline_mb": baseline,
                "peak_rss_mb": _peak_mb(),
                "articles": report["articles_compared"],
                "entity_items": layers["entity"]["items"],
                "entity_f1_exact": layers["entity"]["f1_exact"],
                "sentiment_alpha_nominal": layers["sentiment"]["alpha_nominal"],
                "json_bytes": len(json.dumps(report, allow_nan=False)),
            }
        )
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


if __name__ == "__main__":
    main(sys.argv[1])
