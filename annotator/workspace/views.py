"""Thin views over the workspace queries."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from annotator import queue
from annotator.access import visible, visible_project
from annotator.annotations import article_status
from annotator.extensions import db
from annotator.markdown import render_markdown
from annotator.models import Article, Project
from annotator.projects import may_review, visible_projects
from annotator.workspace import bp
from annotator.workspace.layout import paragraph_blocks
from annotator.workspace.queries import REVIEW_FILTERS, article_rows

PER_PAGE = 50


@bp.get("/")
@login_required
def home() -> Response | str:
    projects = visible_projects(db.session, current_user)
    if len(projects) == 1:
        return redirect(url_for("workspace.articles", slug=projects[0].slug))
    return render_template("workspace/projects.html", projects=projects)


@bp.get("/projects/<slug>/")
@login_required
def articles(slug: str) -> str:
    project = visible_project(db.session, current_user, slug)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    review = request.args.get("review") or None
    if review is not None and review not in REVIEW_FILTERS:
        abort(400, f"review must be one of {', '.join(REVIEW_FILTERS)}")
    rows, total = article_rows(db.session, project, current_user.id, page, PER_PAGE, review)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template(
        "workspace/articles.html",
        project=project,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        review=review,
        review_filters=REVIEW_FILTERS,
        can_review=may_review(db.session, project, current_user),
    )


@bp.get("/projects/<slug>/next")
@login_required
def next_article_link(slug: str) -> Response:
    """An old bookmark of "Start annotating": the list, where the button is; a GET assigns
    nothing."""
    project = visible_project(db.session, current_user, slug)
    return redirect(url_for("workspace.articles", slug=project.slug))


@bp.post("/projects/<slug>/next")
@login_required
def next_article(slug: str) -> Response:
    """Start annotating: the next article in the user's queue, or the list when none is left.
    A POST (CSRF-checked), because it may assign an article."""
    project = visible_project(db.session, current_user, slug)
    article = queue.next_article(db.session, project, current_user)
    db.session.commit()  # keep the automatic assignment the queue may have made
    if article is None:
        flash(_queue_empty_message(project), "success")
        return redirect(url_for("workspace.articles", slug=project.slug))
    return redirect(url_for("workspace.article", article_id=article.id))


def _queue_empty_message(project: Project) -> str:
    waiting = queue.undone_articles(db.session, project, current_user)
    if not waiting:
        return "Nothing left to annotate in this project: every article is done."
    return (
        f"You have done your share for now: {waiting} more article(s) are waiting for "
        "colleagues. An admin can assign you more."
    )


@bp.get("/articles/<int:article_id>")
@login_required
def article(article_id: int) -> str:
    """The annotation workspace: the page's script loads and saves through /api/v1."""
    article = visible(db.session, current_user, Article, article_id)
    project = article.project
    config = {
        "articleId": article.id,
        "userId": current_user.id,
        "nextUrl": url_for("workspace.next_article", slug=project.slug),
        "apiBase": url_for("api.article", article_id=article.id),
    }
    return render_template(
        "workspace/article.html",
        article=article,
        project=project,
        config=config,
        status=article_status(db.session, article, current_user),
        content_count=sum(not p.is_boilerplate for p in article.paragraphs),
        blocks=paragraph_blocks(article.paragraphs),
        guidelines=render_markdown(project.guidelines),
    )
