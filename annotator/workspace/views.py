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
from annotator.routing import paged
from annotator.workspace import bp
from annotator.workspace.layout import paragraph_blocks
from annotator.workspace.queries import (
    REVIEW_FILTERS,
    SEARCH_MAX,
    STATUS_FILTERS,
    ListFilters,
    article_rows,
)

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
    """The project's articles: searched, filtered and paged by the query string, so a
    filtered list can be bookmarked and shared."""
    project = visible_project(db.session, current_user, slug)
    filters = _list_filters()
    shown = paged(
        lambda page: article_rows(db.session, project, current_user.id, page, PER_PAGE, filters),
        PER_PAGE,
    )
    return render_template(
        "workspace/articles.html",
        project=project,
        rows=shown.rows,
        total=shown.total,
        page=shown.page,
        pages=shown.pages,
        filters=filters,
        query=_query_args(filters),
        review_filters=REVIEW_FILTERS,
        status_filters=STATUS_FILTERS,
        can_review=may_review(db.session, project, current_user),
    )


def _list_filters() -> ListFilters:
    """The list's filters from the query string; a value off the allow-lists is a 400."""
    args = request.args
    search = " ".join(args.get("q", "").split())
    if len(search) > SEARCH_MAX or any(ord(c) < 32 for c in search):
        abort(400, f"Search for at most {SEARCH_MAX} characters of plain text.")
    review = args.get("review") or None
    if review is not None and review not in REVIEW_FILTERS:
        abort(400, f"review must be one of {', '.join(REVIEW_FILTERS)}")
    status = args.get("status") or None
    if status is not None and status not in STATUS_FILTERS:
        abort(400, f"status must be one of {', '.join(STATUS_FILTERS)}")
    if args.get("mine", "") not in ("", "1"):
        abort(400, "mine must be 1 (only the articles assigned to you) or absent")
    return ListFilters(search=search, status=status, mine=args.get("mine") == "1", review=review)


def _query_args(filters: ListFilters) -> dict[str, str]:
    """The filters as query-string arguments, for the pager's links (empty ones left out)."""
    args = {
        "q": filters.search,
        "status": filters.status or "",
        "mine": "1" if filters.mine else "",
        "review": filters.review or "",
    }
    return {name: value for name, value in args.items() if value}


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
