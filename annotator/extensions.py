"""Flask extensions, created unbound and bound to an app inside the factory."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from annotator.models import Base

if TYPE_CHECKING:
    from flask_limiter import Limiter

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()


@cache
def limiter() -> Limiter:
    """The login limiter, built on first use: Flask-Limiter imports limits, wrapt and redis
    (about 0.04 s), which commands that answer no request do without."""
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    return Limiter(key_func=get_remote_address)
