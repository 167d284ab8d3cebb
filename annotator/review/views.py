"""The review page of an article and the project's review queue."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user, login_required

from annotator.access import NotAllowed, reviewable, visible_project
from annotator.annotations import writer
from annotator.extensions import db
from annotator.models import Article
from annotator.projects import may_review
from annotator.review import bp
from annotator.review.queries import review_queue


@bp.get("/review/articles/<int:article_id>")
@login_required
def article(article_id: int) -> str:
    """The review view; opening it moves a not-reviewed article to in review."""
    found = reviewable(db.session, current_user, db.session.get(Article, article_id), "article")
    writer.open_review(db.session, current_user, found)
    db.session.commit()
    config = {
        "articleId": found.id,
        "userId": current_user.id,
        "apiBase": url_for("api.review_article", article_id=found.id),
        "queueUrl": url_for("review.queue", slug=found.project.slug),
    }
    return render_template(
        "review/article.html", article=found, project=found.project, config=config
    )


@bp.get("/projects/<slug>/review")
@login_required
def queue(slug: str) -> str:
    """Articles two or more annotators finished, the most disagreement first."""
    project = visible_project(db.session, current_user, slug)
    if not may_review(db.session, project, current_user):
        raise NotAllowed("Only the project's reviewers and admins adjudicate.")
    rows = review_queue(db.session, project)
    return render_template("review/queue.html", project=project, rows=rows)
