"""Login with throttling per account and per client address; logout by POST."""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import urlsplit

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from annotator.accounts import authenticate
from annotator.auth import bp
from annotator.auth.forms import LoginForm
from annotator.extensions import db, limiter
from annotator.models import User

log = logging.getLogger(__name__)

LOGIN_FAILED = "Unknown username or wrong password."


def _account_key() -> str:
    return "login-account:" + User.key_for(request.form.get("username", ""))


def _failed(response: Response) -> bool:
    """Only failed attempts count towards the throttle."""
    return response.status_code == 401


def safe_next(target: str | None) -> str | None:
    """A local path to go to after login, or None for anything that could leave the site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in target):
        return None  # CR/LF, other controls, line separators: no header injection, no 500
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-account",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed,
    scope="login-address",
)
def login() -> BaseResponse | tuple[str, int] | str:
    if current_user.is_authenticated:
        return redirect(url_for("workspace.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    method = current_app.config["PASSWORD_HASH_METHOD"]
    user = authenticate(db.session, form.username.data or "", form.password.data or "", method)
    if user is None:
        log.info("failed login for %r from %s", form.username.data, request.remote_addr)
        flash(LOGIN_FAILED, "error")
        return render_template("auth/login.html", form=form), 401
    db.session.commit()
    login_user(user, remember=bool(form.remember.data))
    log.info("user %s logged in", user.username)
    return redirect(safe_next(form.next.data) or url_for("workspace.home"))


@bp.post("/logout")
def logout() -> BaseResponse:
    """CSRFProtect has already checked the token: a cross-site form cannot log anyone out."""
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
