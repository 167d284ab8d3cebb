"""The form that creates a token (revoking is a CSRF-checked POST with no fields)."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class NewTokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(max=100)],
        description="What will use it, e.g. “nightly export script”.",
    )


class RevokeForm(FlaskForm):
    pass
