"""The form that creates a token (revoking is a CSRF-checked POST with no fields)."""

from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from annotator.forms import Form

SCOPE_CHOICES = [
    SelectChoice("read", "read: pages and the API, reading only"),
    SelectChoice("annotate", "annotate: write annotations, statuses and reviews"),
    SelectChoice("export", "export: download exports"),
    SelectChoice("admin", "admin: the admin pages and forms (admins only)"),
]
EXPIRY_CHOICES = [
    SelectChoice("30", "in 30 days"),
    SelectChoice("90", "in 90 days"),
    SelectChoice("365", "in a year"),
    SelectChoice("", "never"),
]


class NewTokenForm(Form):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(max=100)],
        description="What will use it, e.g. “nightly export script”.",
    )
    scopes = SelectMultipleField(
        "What it may do",
        choices=SCOPE_CHOICES,
        default=["read"],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description="Every scope includes reading. Give a script no more than it needs.",
    )
    expires = SelectField("Expires", choices=EXPIRY_CHOICES, default="90")


class RevokeForm(Form):
    pass
