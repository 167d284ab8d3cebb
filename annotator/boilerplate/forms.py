"""The forms of boilerplate rules and of decisions on proposals (CSRF through Flask-WTF)."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from annotator.boilerplate.patterns import KINDS, MAX_PATTERN, PatternError, validate
from annotator.forms import Form

FLAGS = ["boilerplate", "content"]


class RuleForm(Form):
    kind = SelectField(
        "Kind",
        choices=list(KINDS),
        default=KINDS[0],
        description="exact: the whole paragraph equals the pattern (whitespace-normalised); "
        "prefix: the paragraph starts with it; regex: a regular expression found anywhere.",
    )
    pattern = StringField(
        "Pattern",
        validators=[DataRequired(), Length(max=MAX_PATTERN)],
        description=f"Case-sensitive; at most {MAX_PATTERN} characters. Use (?i) in a regex "
        "to ignore case, ^ and $ to anchor it.",
    )
    flag = SelectField("Mark matching paragraphs as", choices=FLAGS, default="boilerplate")

    def validate_pattern(self, field: StringField) -> None:
        try:
            validate(self.kind.data or "", field.data or "")
        except PatternError as exc:
            raise ValidationError(str(exc)) from None


class ApplyForm(Form):
    include_annotated = BooleanField(
        "Also change paragraphs that have annotations (their annotations would be hidden)"
    )


class DecideForm(Form):
    include_annotated = HiddenField(default="")
    back = HiddenField(default="")
