"""Importing articles from the browser, and correcting a paragraph's boilerplate flag."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from annotator.admin import bp
from annotator.admin.forms import ActionForm, ImportForm
from annotator.annotations.writer.shared import lock_paragraphs_for_flag
from annotator.audit import record
from annotator.extensions import db
from annotator.ingest import (
    PREVIEW_ARTICLES,
    ArticleDraft,
    IngestError,
    parse_named_file,
    store_articles,
)
from annotator.models import Annotation, Article, Paragraph, Project
from annotator.pipelines.jobs import Reason, run_soon
from annotator.projects import project_or_404


def _parse_uploads(files: list[FileStorage]) -> list[ArticleDraft]:
    """Parse every uploaded file before anything is stored: one bad file stops the import."""
    drafts: list[ArticleDraft] = []
    for upload in files:
        drafts.extend(parse_named_file(upload.filename or "upload", upload.read()))
    return drafts


@bp.route("/projects/<slug>/import", methods=["GET", "POST"])
def import_articles(slug: str) -> str | tuple[str, int]:
    project = project_or_404(slug)
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("admin/import.html", project=project, form=form), (
            400 if form.errors else 200
        )
    files = [f for f in form.files.data if isinstance(f, FileStorage) and f.filename]
    try:
        summary = store_articles(db.session, project, _parse_uploads(files))
    except IngestError as exc:
        db.session.rollback()
        form.files.errors = [f"{exc} — nothing was imported."]
        return render_template("admin/import.html", project=project, form=form), 400
    after = {
        "files": [f.filename for f in files],
        "added": summary.added,
        "duplicates": summary.duplicates,
        "boilerplate": summary.boilerplate,
        "learned_boilerplate": summary.learned.flagged,
        "kept_annotated": summary.learned.kept_annotated,
    }
    record(db.session, current_user, "project.import", ("project", project.id), None, after)
    db.session.commit()
    if summary.added:
        _suggest_for_new_articles(project)
    return render_template(
        "admin/import.html",
        project=project,
        form=ImportForm(formdata=None),
        summary=summary,
        preview_limit=PREVIEW_ARTICLES,
    )


def _suggest_for_new_articles(project: Project) -> None:
    """New articles in a project with a pipeline get its suggestions from the worker."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job, problem = run_soon(app, db.session, project, Reason.IMPORT, current_user)
    if job is None:
        return
    flash(problem or "The background worker will suggest entities in the new articles.",
          "error" if problem else "success")  # fmt: skip


@bp.get("/projects/<slug>/articles/<int:article_id>")
def article_paragraphs(slug: str, article_id: int) -> str:
    project = project_or_404(slug)
    article = db.get_or_404(Article, article_id)
    if article.project_id != project.id:
        abort(404)
    counts = dict(
        db.session.execute(
            select(Annotation.paragraph_id, func.count())
            .join(Paragraph, Paragraph.id == Annotation.paragraph_id)
            .where(Paragraph.article_id == article.id)
            .group_by(Annotation.paragraph_id)
        ).all()
    )
    return render_template(
        "admin/article.html", project=project, article=article, counts=counts, form=ActionForm()
    )


@bp.post("/projects/<slug>/paragraphs/<int:paragraph_id>/boilerplate")
def toggle_boilerplate(slug: str, paragraph_id: int) -> Response:
    project = project_or_404(slug)
    paragraph = db.get_or_404(Paragraph, paragraph_id)
    if paragraph.article.project_id != project.id:
        abort(404)
    target = url_for("admin.article_paragraphs", slug=slug, article_id=paragraph.article_id)
    wanted = request.form.get("boilerplate") == "1"
    lock_paragraphs_for_flag(db.session, project.id, [paragraph.id])  # writes in flight there first
    used = db.session.scalar(select(func.count()).where(Annotation.paragraph_id == paragraph.id))
    if wanted and used:
        flash(
            f"Paragraph {paragraph.position + 1} has {used} annotation(s): it stays content, "
            "so that no one's work is hidden.",
            "error",
        )
        return redirect(target)
    if wanted != paragraph.is_boilerplate:
        before = {"position": paragraph.position, "is_boilerplate": paragraph.is_boilerplate}
        paragraph.is_boilerplate = wanted
        after = {**before, "is_boilerplate": wanted}
        record(
            db.session,
            current_user,
            "paragraph.boilerplate",
            ("paragraph", paragraph.id),
            before,
            after,
        )
        db.session.commit()
    flash(
        f"Paragraph {paragraph.position + 1} is {'boilerplate' if wanted else 'content'}.",
        "success",
    )
    return redirect(f"{target}#p{paragraph.position}")
