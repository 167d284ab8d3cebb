"""The base of every form: text that cannot be stored is refused before any validator runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest

from annotator.text import unstorable_path


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) that refuses a lone surrogate or a NUL character in
    any field with a 400.

    Browsers never send one, but Flask-WTF also fills forms from JSON bodies, where a
    "\\ud800" escape decodes to one; stored, it would break every export that meets it.
    """

    def validate(self, extra_validators: dict[str, Sequence[Any]] | None = None) -> bool:
        path = unstorable_path(self.data)
        if path is not None:
            raise BadRequest(
                f"The field '{path}' holds text that cannot be stored (a lone surrogate, "
                "which is not UTF-8, or a NUL character). Nothing was saved."
            )
        return bool(super().validate(extra_validators))
