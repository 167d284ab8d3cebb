"""Admin pages for projects: settings and guidelines, membership, hand assignment."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from annotator.accounts import find_user
from annotator.admin import bp
from annotator.admin.assignments import (
    AssignmentError,
    assign,
    assignable_users,
    assignment_rows,
    unassign,
)
from annotator.admin.forms import ActionForm, AssignForm, MemberForm, MemberRoleForm, ProjectForm
from annotator.admin.projects import (
    ProjectError,
    ProjectFields,
    all_projects,
    change_member_role,
    create_project,
    members,
    non_members,
    project_revision,
    remove_member,
    set_archived,
    set_member,
    update_project,
)
from annotator.extensions import db
from annotator.markdown import render_markdown
from annotator.models import Article, Project, User
from annotator.pipelines.jobs import (
    Reason,
    label_mapping,
    latest_jobs,
    pipeline_setting,
    run_soon,
)
from annotator.pipelines.labels import format_mapping, parse_mapping
from annotator.projects import project_or_404
from annotator.queue import overlap
from annotator.repeats import learned_lines, min_articles
from annotator.routing import page_number, paged, storable_id
from annotator.schema import DEFAULT_SCHEMA, entity_labels

PER_PAGE = 25


def _fields(form: ProjectForm) -> ProjectFields:
    return ProjectFields(
        name=form.name.data or "",
        slug=form.slug.data or "",
        description=form.description.data or "",
        guidelines=form.guidelines.data or "",
        snap_to_words=bool(form.snap_to_words.data),
        overlap=form.overlap.data or 1,
        pipeline=form.pipeline.data or "",
        pipeline_labels=parse_mapping(form.pipeline_labels.data or "", form.schema_labels),
        boilerplate_min_articles=form.boilerplate_min_articles.data,
    )


def _pipeline_of(project: Project) -> tuple[str, dict[str, str]]:
    return pipeline_setting(project), label_mapping(project)


def _run_pipeline_if_changed(project: Project, before: tuple[str, dict[str, str]]) -> None:
    """A new pipeline or label mapping is tried at once by the worker, which reports on this
    page. Called after the commit, so the worker finds the job."""
    now = _pipeline_of(project)
    if not now[0] or now == before:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _, problem = run_soon(app, db.session, project, Reason.SETTINGS, current_user)
    if problem:
        flash(problem, "error")
    else:
        flash("The background worker will load the pipeline and suggest entities.", "success")


@bp.get("/projects")
def projects() -> str:
    return render_template(
        "admin/projects.html", projects=all_projects(db.session), action_form=ActionForm()
    )


@bp.route("/projects/new", methods=["GET", "POST"])
def new_project() -> Response | tuple[str, int]:
    form = ProjectForm()
    form.schema_labels = entity_labels(DEFAULT_SCHEMA)
    if form.validate_on_submit():
        try:
            project = create_project(db.session, current_user, _fields(form))
        except ProjectError as exc:
            db.session.rollback()
            form.slug.errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"Project {project.name!r} created with the default label schema.", "success")
            _run_pipeline_if_changed(project, ("", {}))
            return redirect(url_for("admin.edit_project", slug=project.slug))
    status = 400 if form.errors else 200
    return render_template("admin/project_form.html", form=form, project=None), status


CHANGED_ELSEWHERE = (
    "Someone else saved this project while you were editing it, so your changes were not "
    "saved. The form still holds your version and the preview shows the saved guidelines: "
    "save again to replace theirs."
)


@bp.route("/projects/<slug>/edit", methods=["GET", "POST"])
def edit_project(slug: str) -> Response | tuple[str, int]:
    project = project_or_404(slug)
    settings = project.settings or {}
    form = ProjectForm(
        obj=project,
        snap_to_words=settings.get("snap_to_words", True),
        overlap=overlap(project),
        pipeline=pipeline_setting(project),
        pipeline_labels=format_mapping(label_mapping(project)),
        boilerplate_min_articles=min_articles(project),
    )
    form.schema_labels = entity_labels(project.label_schema)
    revision = project_revision(project)
    conflict = form.is_submitted() and form.revision.data != revision
    if conflict:
        flash(CHANGED_ELSEWHERE, "error")
    elif form.validate_on_submit():
        before = _pipeline_of(project)
        try:
            learned = update_project(db.session, current_user, project, _fields(form))
        except ProjectError as exc:
            db.session.rollback()
            form.slug.errors = [str(exc)]
        else:
            db.session.commit()
            flash("Project saved.", "success")
            _run_pipeline_if_changed(project, before)
            for line in learned_lines(learned) if learned else []:
                flash(line, "success")
            return redirect(url_for("admin.edit_project", slug=project.slug))
    form.revision.data = revision
    page = render_template(
        "admin/project_form.html",
        form=form,
        project=project,
        preview=render_markdown(project.guidelines),
        action_form=ActionForm(),
        jobs=latest_jobs(db.session, project),
    )
    return page, 409 if conflict else 400 if form.errors else 200


@bp.post("/projects/<slug>/archive")
def archive_project(slug: str) -> Response:
    project = project_or_404(slug)
    archived = request.form.get("archived") == "1"
    set_archived(db.session, current_user, project, archived)
    db.session.commit()
    flash(f"{project.name} is {'archived' if archived else 'active again'}.", "success")
    return redirect(url_for("admin.projects"))


# --- membership ---------------------------------------------------------------------------


@bp.route("/projects/<slug>/members", methods=["GET", "POST"])
def project_members(slug: str) -> Response | tuple[str, int]:
    project = project_or_404(slug)
    form = MemberForm()
    form.username.choices = [u.username for u in non_members(db.session, project)]
    if form.validate_on_submit():
        user = _user_named(form.username.data)
        set_member(db.session, current_user, project, user, form.role.data or "annotator")
        db.session.commit()
        flash(f"{user.username} works on {project.name} as {form.role.data}.", "success")
        return redirect(url_for("admin.project_members", slug=slug))
    page = render_template(
        "admin/members.html",
        project=project,
        form=form,
        members=members(db.session, project),
        role_form=MemberRoleForm(),
        action_form=ActionForm(),
    )
    return page, 400 if form.errors else 200


@bp.post("/projects/<slug>/members/<int:user_id>/role")
def member_role(slug: str, user_id: int) -> Response:
    project = project_or_404(slug)
    user = db.get_or_404(User, user_id)
    form = MemberRoleForm()
    if form.validate_on_submit():
        try:
            change_member_role(db.session, current_user, project, user, form.role.data or "")
        except ProjectError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
    else:
        flash("Choose one of the listed roles.", "error")
    return redirect(url_for("admin.project_members", slug=slug))


@bp.post("/projects/<slug>/members/<int:user_id>/remove")
def member_remove(slug: str, user_id: int) -> Response:
    project = project_or_404(slug)
    user = db.get_or_404(User, user_id)
    remove_member(db.session, current_user, project, user)
    db.session.commit()
    flash(f"{user.username} no longer works on {project.name}.", "success")
    return redirect(url_for("admin.project_members", slug=slug))


# --- assignment ---------------------------------------------------------------------------


@bp.get("/projects/<slug>/assignments")
def assignments(slug: str) -> str:
    project = project_or_404(slug)
    shown = paged(lambda page: assignment_rows(db.session, project, page, PER_PAGE), PER_PAGE)
    form = AssignForm()
    form.username.choices = [u.username for u in assignable_users(db.session, project)]
    return render_template(
        "admin/assignments.html",
        project=project,
        rows=shown.rows,
        total=shown.total,
        page=shown.page,
        pages=shown.pages,
        form=form,
        action_form=ActionForm(),
        overlap=overlap(project),
        boilerplate_min_articles=min_articles(project),
    )


def _user_named(username: str | None) -> User:
    user = find_user(db.session, username or "")
    if user is None:
        abort(404)
    return user


def _article_in(project: Project, article_id: object) -> Article:
    """The project's article of the form's id, or 404: for an id of other digits than
    0-9 too (str.isdigit takes "١", which int reads as 1) and one past any database's ids."""
    text = str(article_id)
    number = int(text) if text.isascii() and text.isdigit() else None
    article = None if number is None or not storable_id(number) else db.session.get(Article, number)
    if article is None or article.project_id != project.id:
        abort(404)
    return article


@bp.post("/projects/<slug>/assignments")
def assign_article(slug: str) -> Response:
    project = project_or_404(slug)
    form = AssignForm()
    form.username.choices = [u.username for u in assignable_users(db.session, project)]
    page = page_number()
    if not form.validate_on_submit():
        flash("Choose an annotator from the list.", "error")
        return redirect(url_for("admin.assignments", slug=slug, page=page))
    article = _article_in(project, form.article_id.data)
    user = _user_named(form.username.data)
    try:
        assign(db.session, current_user, article, user)
    except AssignmentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{article.title} assigned to {user.username}.", "success")
    return redirect(url_for("admin.assignments", slug=slug, page=page))


@bp.post("/projects/<slug>/assignments/<int:article_id>/<int:user_id>/remove")
def unassign_article(slug: str, article_id: int, user_id: int) -> Response:
    project = project_or_404(slug)
    article = _article_in(project, article_id)
    user = db.get_or_404(User, user_id)
    try:
        unassign(db.session, current_user, article, user)
    except AssignmentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{article.title} is no longer assigned to {user.username}.", "success")
    page = page_number()
    return redirect(url_for("admin.assignments", slug=slug, page=page))
