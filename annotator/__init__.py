"""annotator: annotate news articles paragraph by paragraph, export labeled JSONL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_folder(name: str) -> str:
    """Inside the package when installed from a wheel, else the checkout's top-level folder."""
    packaged = PACKAGE_DIR / name
    return str(packaged if packaged.is_dir() else PACKAGE_DIR.parent / name)


def create_app(test_config: dict[str, Any] | None = None, *, views: bool = True) -> Flask:
    """Build the application: configuration, extensions, blueprints. No queries run here.

    views=False leaves the pages and the API out: commands that never answer a request
    (`db upgrade`, `user ensure-admin`, `import`) start without importing them."""
    from flask import Flask  # here, not at the top: the fresh-start commands do without it

    from annotator import bodies, database, errors, routing, security, tokens
    from annotator.config import load_config
    from annotator.pipelines import queue

    app = Flask(
        __name__,
        instance_path=os.environ.get("ANNOTATOR_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    load_config(app, test_config)
    _trust_proxies(app)
    routing.init_app(app)
    bodies.init_app(app)  # first: its hook reads a chunked body before CSRF parses any form
    database.init_app(app)
    queue.init_app(app)  # checks ANNOTATOR_QUEUE_URL; the queue itself opens on first use
    tokens.init_auth(app)  # before security: a bad token is 401, never a CSRF failure
    security.init_app(app, throttle=views)
    errors.init_app(app)
    if views:
        _register_blueprints(app)
    _register_commands(app, views)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client's address (and scheme, host) from the
    X-Forwarded-* headers they set, so the login limit counts real clients."""
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )


def _register_blueprints(app: Flask) -> None:
    from annotator import tokens
    from annotator.admin import bp as admin_bp
    from annotator.api import bp as api_bp
    from annotator.auth.views import bp as auth_bp
    from annotator.boilerplate.views import bp as boilerplate_bp
    from annotator.export import bp as export_bp
    from annotator.profile import bp as profile_bp
    from annotator.review import bp as review_bp
    from annotator.scorecard import bp as scorecard_bp
    from annotator.workspace import bp as workspace_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(export_bp)
    app.register_blueprint(scorecard_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(boilerplate_bp)
    tokens.init_app(app)


def _register_commands(app: Flask, views: bool) -> None:
    from annotator.commands import register_commands

    register_commands(app, views)
