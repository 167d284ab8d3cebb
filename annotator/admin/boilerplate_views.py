"""The project's Boilerplate tab: rules (add, preview, apply, undo) and pending proposals."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from annotator.admin import bp
from annotator.boilerplate.forms import ApplyForm, DecideForm, RuleForm
from annotator.boilerplate.patterns import PatternError
from annotator.boilerplate.proposals import count_pending, pending_in_project
from annotator.boilerplate.rules import (
    Candidate,
    RuleError,
    add_rule,
    apply_rule,
    candidates,
    delete_rule,
    preview_rows,
    project_rules,
    undo_rule,
)
from annotator.extensions import db
from annotator.models import BoilerplateRule, Project
from annotator.projects import project_or_404
from annotator.routing import page_number

PER_PAGE = 50


@bp.route("/projects/<slug>/boilerplate", methods=["GET", "POST"])
def boilerplate(slug: str) -> Response | tuple[str, int]:
    project = project_or_404(slug)
    form = RuleForm()
    if form.validate_on_submit():
        try:
            rule = add_rule(
                db.session,
                current_user,
                project,
                form.kind.data or "",
                form.pattern.data or "",
                form.flag.data or "",
            )
        except PatternError as exc:
            db.session.rollback()
            form.pattern.errors = [str(exc)]
        else:
            db.session.commit()
            flash("Rule added: check the preview, then apply it.", "success")
            return redirect(url_for("admin.boilerplate_rule", slug=slug, rule_id=rule.id))
    return _tab(project, form), 400 if form.errors else 200


def _tab(project: Project, form: RuleForm) -> str:
    return render_template(
        "admin/boilerplate.html",
        project=project,
        form=form,
        rules=project_rules(db.session, project),
        proposals=pending_in_project(db.session, project),
        pending=count_pending(db.session, project),
        decide_form=DecideForm(formdata=None, back="admin"),
    )


@bp.get("/projects/<slug>/boilerplate/rules/<int:rule_id>")
def boilerplate_rule(slug: str, rule_id: int) -> str:
    project = project_or_404(slug)
    rule = _rule_of(project, rule_id)
    page = page_number()
    try:
        found, problem = candidates(db.session, rule), None
    except PatternError as exc:
        found, problem = [], str(exc)
    shown: list[Candidate] = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    return render_template(
        "admin/boilerplate_rule.html",
        project=project,
        rule=rule,
        rows=preview_rows(db.session, shown),
        total=len(found),
        annotated=sum(c.annotated for c in found),
        page=page,
        pages=max((len(found) + PER_PAGE - 1) // PER_PAGE, 1),
        problem=problem,
        form=ApplyForm(formdata=None),
    )


@bp.post("/projects/<slug>/boilerplate/rules/<int:rule_id>/apply")
def apply_boilerplate_rule(slug: str, rule_id: int) -> Response:
    project = project_or_404(slug)
    rule = _rule_of(project, rule_id)
    form = ApplyForm()
    form.validate_on_submit()
    try:
        outcome = apply_rule(db.session, current_user, rule, bool(form.include_annotated.data))
    except (RuleError, PatternError) as exc:
        return _refused(str(exc), slug, rule_id)
    db.session.commit()
    message = f"Applied: {outcome.changed} paragraph(s) changed."
    if outcome.left_annotated:
        message += (
            f" {len(outcome.left_annotated)} paragraph(s) with annotations were left as they "
            "were: they are listed below."
        )
    flash(message, "success")
    return redirect(url_for("admin.boilerplate_rule", slug=slug, rule_id=rule_id))


@bp.post("/projects/<slug>/boilerplate/rules/<int:rule_id>/undo")
def undo_boilerplate_rule(slug: str, rule_id: int) -> Response:
    project = project_or_404(slug)
    rule = _rule_of(project, rule_id)
    try:
        outcome = undo_rule(db.session, current_user, rule)
    except RuleError as exc:
        return _refused(str(exc), slug, rule_id)
    db.session.commit()
    message = f"Undone: {outcome.changed} paragraph(s) restored."
    if outcome.left_annotated:
        message += (
            f" {len(outcome.left_annotated)} paragraph(s) annotated since stay content, so "
            "that no one's work is hidden."
        )
    flash(message, "success")
    return redirect(url_for("admin.boilerplate_rule", slug=slug, rule_id=rule_id))


@bp.post("/projects/<slug>/boilerplate/rules/<int:rule_id>/delete")
def delete_boilerplate_rule(slug: str, rule_id: int) -> Response:
    project = project_or_404(slug)
    rule = _rule_of(project, rule_id)
    try:
        delete_rule(db.session, current_user, rule)
    except RuleError as exc:
        return _refused(str(exc), slug, rule_id)
    db.session.commit()
    flash("Rule deleted.", "success")
    return redirect(url_for("admin.boilerplate", slug=slug))


def _rule_of(project: Project, rule_id: int) -> BoilerplateRule:
    rule = db.session.get(BoilerplateRule, rule_id)
    if rule is None or rule.project_id != project.id:
        abort(404)
    return rule


def _refused(message: str, slug: str, rule_id: int) -> Response:
    db.session.rollback()
    flash(f"{message} Nothing was changed.", "error")
    return redirect(url_for("admin.boilerplate_rule", slug=slug, rule_id=rule_id))
