"""Logging in and out. The pages (views.py) attach to bp when the app registers them, not on
import: security.py imports this package's sessions and events for commands too."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
