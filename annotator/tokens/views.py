"""The profile page where a user creates, sees and revokes their API tokens."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from annotator.extensions import db
from annotator.models import utcnow
from annotator.tokens import bp
from annotator.tokens.forms import NewTokenForm, RevokeForm
from annotator.tokens.service import TokenError, create_token, revoke_token, user_tokens

log = logging.getLogger(__name__)


@bp.get("/profile/tokens")
@login_required
def tokens() -> str:
    return _page(NewTokenForm())


@bp.post("/profile/tokens")
@login_required
def create() -> str | tuple[str, int]:
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _page(form), 400
    try:
        token, clear = create_token(
            db.session,
            current_user,
            form.name.data or "",
            form.scopes.data or [],
            expiry(form.expires.data),
        )
    except TokenError as exc:
        form.name.errors = [str(exc)]
        return _page(form), 400
    db.session.commit()
    log.info("user %s created API token %s (%s)", current_user.username, token.prefix, token.scopes)
    return _page(NewTokenForm(formdata=None), new_token=clear, new_name=token.name)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    token = revoke_token(db.session, current_user, token_id)
    if token is None:
        abort(404)
    db.session.commit()
    log.info("user %s revoked API token %s", current_user.username, token.prefix)
    flash(f"Token “{token.name}” is revoked.", "info")
    return redirect(url_for("tokens.tokens"))


def expiry(days: str | None) -> datetime | None:
    """The moment a token made now expires, from the form's choice of days."""
    return utcnow() + timedelta(days=int(days)) if days else None


def _page(form: NewTokenForm, new_token: str | None = None, new_name: str | None = None) -> str:
    return render_template(
        "tokens/tokens.html",
        form=form,
        tokens=user_tokens(db.session, current_user),
        revoke_form=RevokeForm(),
        new_token=new_token,
        new_name=new_name,
    )
