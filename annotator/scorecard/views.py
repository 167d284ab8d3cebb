"""Thin views: an annotator's scorecard for a project, and one article's differences."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from annotator.access import NotVisible, visible, visible_project
from annotator.extensions import db
from annotator.models import Article, Layer, User
from annotator.projects import may_review
from annotator.quality.scorecard import LAYERS, by_paragraph
from annotator.scorecard import bp
from annotator.scorecard.queries import article_score, comments, project_score, whose


@bp.get("/projects/<slug>/scorecard")
@login_required
def card(slug: str) -> str:
    project = visible_project(db.session, current_user, slug)
    annotator = whose(db.session, project, current_user, request.args.get("annotator"))
    return render_template(
        "scorecard/card.html",
        project=project,
        score=project_score(db.session, project, annotator),
        layers=LAYERS,
        people=_people() if may_review(db.session, project, current_user) else [],
    )


@bp.get("/projects/<slug>/scorecard/<int:article_id>")
@login_required
def article(slug: str, article_id: int) -> str:
    project = visible_project(db.session, current_user, slug)
    found = visible(db.session, current_user, Article, article_id)
    if found.project_id != project.id:
        raise NotVisible("article")
    annotator = whose(db.session, project, current_user, request.args.get("annotator"))
    score = article_score(db.session, found, annotator)
    return render_template(
        "scorecard/article.html",
        project=project,
        article=found,
        annotator=annotator,
        texts={p.position: p.text for p in found.paragraphs},
        parts=by_paragraph(score.difference),
        comments=comments(db.session, found, annotator),
        entity=Layer.ENTITY.value,
    )


def _people() -> list[str]:
    return list(db.session.scalars(select(User.username).order_by(User.username_key)))
