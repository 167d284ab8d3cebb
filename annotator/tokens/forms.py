"""The form that creates a token (revoking is a CSRF-checked POST with no fields)."""

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from annotator.forms import Form


class NewTokenForm(Form):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(max=100)],
        description="What will use it, e.g. “nightly export script”.",
    )


class RevokeForm(Form):
    pass
