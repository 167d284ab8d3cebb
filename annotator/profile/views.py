"""The profile page, and the hook that sends users with a reset password there first."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from annotator.accounts import set_password
from annotator.auth import events, sessions
from annotator.errors import json_error
from annotator.extensions import db
from annotator.hashing import verify_password
from annotator.profile import bp
from annotator.profile.forms import ChangePasswordForm
from annotator.profile.passwords import password_problem

#: What a user who must change their password may still reach.
ALLOWED_BEFORE_CHANGE = {"profile.index", "auth.logout", "auth.login", "static"}


@bp.before_app_request
def _force_password_change() -> Response | None:
    """After an admin reset, nothing but the profile page until a new password is set."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in ALLOWED_BEFORE_CHANGE:
        return None
    if request.path.startswith("/api/"):
        return json_error(403, "password_change_required", "Set a new password first.")
    return redirect(url_for("profile.index"))


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Response | str | tuple[str, int]:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return (_page(form), 400) if form.errors else _page(form)
    if not verify_password(current_user.password_hash, form.current.data or ""):
        form.current.errors = ["That is not your current password."]
        return _page(form), 400
    problem = password_problem(form.new.data or "", current_user.username)
    if problem is None and form.new.data == form.current.data:
        problem = "Choose a password different from the current one."
    if problem:
        form.new.errors = [problem]
        return _page(form), 400
    user = current_user._get_current_object()
    set_password(user, form.new.data or "", current_app.config["PASSWORD_HASH_METHOD"])
    # every session ended with the old password, this one too; it goes on as a new one
    sessions.log_in(db.session, user, remember=sessions.remembered())
    db.session.commit()
    events.record("password.change", user.username_key, user_id=user.id)
    flash("Your password has been changed.", "success")
    return redirect(url_for("profile.index"))


def _page(form: ChangePasswordForm) -> str:
    return render_template("profile/index.html", form=form)
