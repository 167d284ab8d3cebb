"""Login with throttling and server-side sessions; logout by POST."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from annotator.accounts import authenticate
from annotator.auth import bp, events, sessions, throttle
from annotator.auth.forms import LoginForm
from annotator.extensions import db
from annotator.models import User

LOGIN_FAILED = "Unknown username or wrong password."
THROTTLED = "Too many login attempts. Try again in {seconds} seconds."


def safe_next(target: str | None) -> str | None:
    """A local path to go to after login, or None for anything that could leave the site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in target):
        return None  # CR/LF, other controls, line separators: no header injection, no 500
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | tuple[str, int] | str | tuple[str, int, dict[str, str]]:
    if current_user.is_authenticated:
        return redirect(url_for("workspace.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    account, address = User.key_for(form.username.data or ""), request.remote_addr or ""
    refusal = throttle.count_attempt(account, address)
    if refusal is not None:
        return _throttled(form, account, refusal)
    method = current_app.config["PASSWORD_HASH_METHOD"]
    user = authenticate(db.session, form.username.data or "", form.password.data or "", method)
    if user is None:
        events.record("login.failure", account)
        flash(LOGIN_FAILED, "error")
        return render_template("auth/login.html", form=form), 401
    sessions.log_in(db.session, user, remember=bool(form.remember.data))
    db.session.commit()
    throttle.forget_failures(account, address)
    events.record("login.success", user.username_key, user_id=user.id)
    return redirect(safe_next(form.next.data) or url_for("workspace.home"))


def _throttled(
    form: LoginForm, account: str, refusal: throttle.Refusal
) -> tuple[str, int, dict[str, str]]:
    events.record("login.locked", account, scope=refusal.scope, retry_after=refusal.retry_after)
    flash(THROTTLED.format(seconds=refusal.retry_after), "error")
    page = render_template("auth/login.html", form=form)
    return page, 429, {"Retry-After": str(refusal.retry_after)}


@bp.post("/logout")
def logout() -> BaseResponse:
    """CSRFProtect has already checked the token: a cross-site form cannot log anyone out."""
    if current_user.is_authenticated:
        sessions.end(db.session, current_user.get_id())
        db.session.commit()
        events.record("logout", current_user.username_key, user_id=current_user.id)
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
