"""Admin pages for user accounts."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from annotator.accounts import AccountError, create_user, generate_password
from annotator.admin import bp
from annotator.admin.forms import ActionForm, CreateUserForm, RoleForm
from annotator.admin.users import (
    annotation_count,
    change_role,
    reset_password,
    set_active,
    user_rows,
    user_state,
)
from annotator.audit import record
from annotator.extensions import db
from annotator.models import User
from annotator.routing import paged

PER_PAGE = 25


def _hash_method() -> str:
    return str(current_app.config["PASSWORD_HASH_METHOD"])


@bp.get("/")
def index() -> Response:
    return redirect(url_for("admin.projects"))


@bp.get("/users")
def users() -> str:
    search = request.args.get("q", "")[:80]
    shown = paged(lambda page: user_rows(db.session, search, page, PER_PAGE), PER_PAGE)
    return render_template(
        "admin/users.html",
        rows=shown.rows,
        total=shown.total,
        page=shown.page,
        pages=shown.pages,
        q=search,
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> str | tuple[str, int]:
    form = CreateUserForm()
    if not form.validate_on_submit():
        return render_template("admin/user_new.html", form=form), 400 if form.errors else 200
    generated = not form.password.data
    password = form.password.data or generate_password()
    role = form.role.data or "annotator"
    try:
        user = create_user(db.session, form.username.data or "", password, role, _hash_method())
    except AccountError as exc:
        form.username.errors = [str(exc)]
        return render_template("admin/user_new.html", form=form), 400
    user.must_change_password = bool(form.must_change.data)
    record(db.session, current_user, "user.create", ("user", user.id), None, user_state(user))
    db.session.commit()
    return render_template(
        "admin/password_shown.html", user=user, password=password if generated else None
    )


@bp.get("/users/<int:user_id>")
def user(user_id: int) -> str:
    target = db.get_or_404(User, user_id)
    return render_template(
        "admin/user.html",
        user=target,
        role_form=RoleForm(role=target.role),
        action_form=ActionForm(),
        annotations=annotation_count(db.session, target),
    )


def _apply(user_id: int, change: str) -> Response:
    """Run one account change; a refused one is flashed, never half-applied."""
    target = db.get_or_404(User, user_id)
    try:
        if change == "role":
            form = RoleForm()
            if not form.validate_on_submit():
                raise AccountError("Choose one of the listed roles.")
            change_role(db.session, current_user, target, form.role.data or "")
            message = f"{target.username} is now {target.role}."
        else:
            if not ActionForm().validate_on_submit():
                raise AccountError("The form has expired; try again.")
            set_active(db.session, current_user, target, change == "reactivate")
            message = f"{target.username} is {'active' if target.active else 'deactivated'}."
    except AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int) -> Response:
    return _apply(user_id, "role")


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int) -> Response:
    return _apply(user_id, "deactivate")


@bp.post("/users/<int:user_id>/reactivate")
def user_reactivate(user_id: int) -> Response:
    return _apply(user_id, "reactivate")


@bp.post("/users/<int:user_id>/reset-password")
def user_reset_password(user_id: int) -> str | Response:
    target = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        flash("The form has expired; try again.", "error")
        return redirect(url_for("admin.user", user_id=user_id))
    password = reset_password(db.session, current_user, target, _hash_method())
    db.session.commit()
    return render_template("admin/password_shown.html", user=target, password=password, reset=True)
