"""Pattern files per project: an admin uploads spaCy EntityRuler / Prodigy patterns, which
become suggestions in every content paragraph of the project (and of articles imported later)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from annotator.admin import bp
from annotator.admin.forms import ActionForm, PatternForm
from annotator.audit import record
from annotator.extensions import db
from annotator.models import PatternFile, Project
from annotator.projects import project_or_404
from annotator.suggestions.patterns import (
    PatternError,
    apply_patterns,
    language_of,
    parse_patterns,
    save_pattern_file,
    tokenizer_problem,
)
from annotator.text import unstorable_path


def _page(project: Project, form: PatternForm, status: int = 200) -> tuple[str, int]:
    query = select(PatternFile).where(PatternFile.project_id == project.id)
    files = list(db.session.scalars(query.order_by(PatternFile.name)))
    return render_template(
        "admin/patterns.html", project=project, form=form, files=files, remove=ActionForm()
    ), status


@bp.get("/projects/<slug>/patterns")
def patterns(slug: str) -> tuple[str, int]:
    project = project_or_404(slug)
    return _page(project, PatternForm(language=language_of(project)))


#: The longest name a pattern file keeps (its column's size).
MAX_FILE_NAME = 200


@bp.post("/projects/<slug>/patterns")
def upload_patterns(slug: str) -> tuple[str, int] | Response:
    """Check every line first: a bad one is named and nothing is stored."""
    project = project_or_404(slug)
    form = PatternForm()
    if not form.validate_on_submit():
        return _page(project, form, 400)
    upload: FileStorage = form.file.data
    name = upload.filename or "patterns.jsonl"
    if len(name) > MAX_FILE_NAME or unstorable_path(name) is not None:
        form.file.errors = [f"The file's name must be at most {MAX_FILE_NAME} plain characters."]
        return _page(project, form, 400)
    language = form.language.data or "en"
    problem = tokenizer_problem(language)
    if problem:
        form.language.errors = [problem]
        return _page(project, form, 400)
    try:
        parsed = parse_patterns(upload.read(), project.label_schema)
    except PatternError as exc:
        form.file.errors = [f"{name}, {exc} — nothing was stored."]
        return _page(project, form, 400)
    project.settings = {**(project.settings or {}), "language": language}
    save_pattern_file(db.session, current_user, project, name, parsed)
    applied = apply_patterns(db.session, project)
    after = {"name": name, "patterns": len(parsed)}
    record(db.session, current_user, "project.patterns", ("project", project.id), None, after)
    db.session.commit()
    added = applied.result.added if applied else 0
    flash(f"{name}: {len(parsed)} patterns stored; {added} new suggestions.", "success")
    return redirect(url_for("admin.patterns", slug=slug))


@bp.post("/projects/<slug>/patterns/<int:file_id>/remove")
def remove_patterns(slug: str, file_id: int) -> Response:
    """Remove a pattern file; its open suggestions go, decided ones stay counted."""
    project = project_or_404(slug)
    stored = db.session.get(PatternFile, file_id)
    if ActionForm().validate_on_submit() and stored and stored.project_id == project.id:
        db.session.delete(stored)
        db.session.flush()
        apply_patterns(db.session, project)
        before = {"name": stored.name}
        record(db.session, current_user, "project.patterns", ("project", project.id), before, None)
        db.session.commit()
        flash(f"Removed {stored.name}.", "success")
    return redirect(url_for("admin.patterns", slug=slug))
