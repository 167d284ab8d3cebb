"""The label-schema editor: add, edit, rename (with existing annotations), remove or merge."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from annotator.admin import bp
from annotator.admin.forms import AddLabelForm, EntityLabelForm, RemoveLabelForm, RenameLabelForm
from annotator.admin.labels import (
    KINDS,
    LabelError,
    add_label,
    names,
    remove_label,
    rename_label,
    update_entity,
    usage_counts,
)
from annotator.extensions import db
from annotator.projects import project_or_404


@bp.get("/projects/<slug>/labels")
def labels(slug: str) -> str:
    project = project_or_404(slug)
    return render_template(
        "admin/labels.html",
        project=project,
        kinds=KINDS,
        names={kind: names(project.label_schema, kind) for kind in KINDS},
        counts=usage_counts(db.session, project),
        entity_form=EntityLabelForm(),
        add_form=AddLabelForm(),
        rename_form=RenameLabelForm(),
        remove_form=RemoveLabelForm(),
    )


def _done(slug: str, message: str | None = None, error: str | None = None) -> Response:
    if error:
        db.session.rollback()
        flash(error, "error")
    else:
        db.session.commit()
        if message:
            flash(message, "success")
    return redirect(url_for("admin.labels", slug=slug))


def _form_error(form: object) -> str:
    errors = getattr(form, "errors", {})
    return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items()) or "Bad form."


@bp.post("/projects/<slug>/labels/add")
def label_add(slug: str) -> Response:
    project = project_or_404(slug)
    form = AddLabelForm()
    if not form.validate_on_submit():
        return _done(slug, error=_form_error(form))
    entry = {"name": (form.name.data or "").strip()}
    if form.kind.data == "entity":
        entry.update(
            color=form.color.data or "",
            key=form.key.data or "",
            description=form.description.data or "",
        )
    try:
        add_label(db.session, current_user, project, form.kind.data or "", entry)
    except LabelError as exc:
        return _done(slug, error=str(exc))
    return _done(slug, f"Added {entry['name']!r}.")


@bp.post("/projects/<slug>/labels/entity")
def label_edit(slug: str) -> Response:
    project = project_or_404(slug)
    form = EntityLabelForm()
    if not form.validate_on_submit():
        return _done(slug, error=_form_error(form))
    entry = {
        "name": form.name.data or "",
        "color": form.color.data or "",
        "key": form.key.data or "",
        "description": form.description.data or "",
    }
    try:
        update_entity(db.session, current_user, project, entry)
    except LabelError as exc:
        return _done(slug, error=str(exc))
    return _done(slug, f"Saved {entry['name']!r}.")


@bp.post("/projects/<slug>/labels/rename")
def label_rename(slug: str) -> Response:
    project = project_or_404(slug)
    form = RenameLabelForm()
    if not form.validate_on_submit():
        return _done(slug, error=_form_error(form))
    old, new = form.old.data or "", (form.new.data or "").strip()
    try:
        count = rename_label(db.session, current_user, project, form.kind.data or "", old, new)
    except LabelError as exc:
        return _done(slug, error=str(exc))
    return _done(slug, f"Renamed {old!r} to {new!r} in the schema and in {count} annotation(s).")


@bp.post("/projects/<slug>/labels/remove")
def label_remove(slug: str) -> Response:
    project = project_or_404(slug)
    form = RemoveLabelForm()
    if not form.validate_on_submit():
        return _done(slug, error=_form_error(form))
    name, target = form.name.data or "", form.merge_into.data or None
    try:
        moved = remove_label(db.session, current_user, project, form.kind.data or "", name, target)
    except LabelError as exc:
        return _done(slug, error=str(exc))
    if target:
        return _done(slug, f"Merged {name!r} into {target!r}: {moved} annotation(s) relabelled.")
    return _done(slug, f"Removed {name!r}.")
