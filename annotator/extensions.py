"""Flask extensions, created unbound and bound to an app inside the factory."""

from __future__ import annotations

import sys
from importlib.util import find_spec


def _skip_unused_wtforms_translations() -> None:
    """Flask-WTF's forms translate their messages through Flask-Babel when it is installed;
    to find out, it imports Babel first (a dependency of our web page reader), a fiftieth of
    a second of every start, and then fails on Flask-Babel, which the app does not use. With
    Flask-Babel absent, its translations module is marked as missing before it is imported:
    Flask-WTF catches the ImportError as it does now, and the messages stay untranslated."""
    if find_spec("flask_babel") is None:
        sys.modules.setdefault("flask_wtf.i18n", None)  # type: ignore[arg-type]


_skip_unused_wtforms_translations()

from flask_login import LoginManager  # noqa: E402
from flask_sqlalchemy import SQLAlchemy  # noqa: E402
from flask_wtf.csrf import CSRFProtect  # noqa: E402

from annotator.models import Base  # noqa: E402

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
