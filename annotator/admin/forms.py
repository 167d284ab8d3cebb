"""Every admin form; each carries a CSRF token through Flask-WTF."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from annotator.accounts import AccountError, normalise_username
from annotator.forms import Form
from annotator.models import Role
from annotator.pipelines.jobs import setting_problem
from annotator.pipelines.labels import MappingError, parse_mapping
from annotator.profile.passwords import password_problem
from annotator.schema import NAME

ROLE_CHOICES = [r.value for r in Role]


def username_rule(_form: Form, field: Field) -> None:
    """The accounts service's own rule, so the form and the CLI refuse the same names."""
    try:
        normalise_username(field.data or "")
    except AccountError as exc:
        raise ValidationError(str(exc)) from None


# Anchored with \Z, not $: WTForms' Regexp uses re.match, whose $ also matches before a final
# newline, and a slug "news\n" made a project whose export header could not be written.
SLUG = Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z", message="Lower-case letters, digits and dashes.")
LABEL_NAME = Regexp(NAME, message="Letters, digits, _ - and spaces; at most 50 characters.")


class ActionForm(Form):
    """A button that posts: only the CSRF token."""


class CreateUserForm(Form):
    username = StringField("Username", validators=[DataRequired(), Length(max=80), username_rule])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.ANNOTATOR.value)
    password = PasswordField(
        "Initial password",
        validators=[Optional(), Length(max=500)],
        description="Leave empty to generate one; it is shown once.",
    )
    must_change = BooleanField("Ask for a new password at first login", default=True)

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", self.username.data or "")
        if field.data and problem:
            raise ValidationError(problem)


class RoleForm(Form):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ProjectForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        "Slug",
        validators=[DataRequired(), Length(max=100), SLUG],
        description="Used in addresses: /projects/<slug>/",
    )
    description = TextAreaField("Description", validators=[Length(max=5000)])
    guidelines = TextAreaField(
        "Guidelines (Markdown)",
        validators=[Length(max=100_000)],
        description="Shown to annotators beside the article.",
    )
    snap_to_words = BooleanField("Snap selections to whole words", default=True)
    overlap = IntegerField(
        "Annotators per article",
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=20)],
        description="The automatic queue gives each article to this many annotators.",
    )
    pipeline = StringField(
        "spaCy pipeline for suggestions",
        validators=[Length(max=500)],
        description="An installed pipeline package (en_core_web_sm) or a folder on the server,"
        " such as a model trained on this project's export. Its entities are suggested to"
        " annotators; the background worker loads it and reports here whether that worked.",
    )
    pipeline_labels = TextAreaField(
        "Pipeline labels → schema labels",
        description="One SPACY_LABEL = SCHEMA_LABEL per line, for labels named differently"
        " (PER = PERSON). Labels with the same name map by themselves; others are dropped.",
    )
    boilerplate_min_articles = IntegerField(
        "Learn boilerplate from lines repeated in at least … articles",
        validators=[Optional(), NumberRange(min=0, max=1000)],
        description="A paragraph whose text appears in this many articles of the same source "
        "is marked as boilerplate (never one with annotations). 0 turns this off; empty "
        "keeps the current value (3 unless changed).",
    )
    #: The project's revision when the form was opened; saving over a newer one is a conflict.
    revision = HiddenField()
    #: The entity labels pipeline_labels may map to; the view sets them from the schema.
    schema_labels: list[str] = []

    def validate_pipeline(self, field: StringField) -> None:
        problem = setting_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_pipeline_labels(self, field: TextAreaField) -> None:
        try:
            parse_mapping(field.data or "", self.schema_labels)
        except MappingError as exc:
            raise ValidationError(str(exc)) from None

    def validate_boilerplate_min_articles(self, field: IntegerField) -> None:
        if field.data == 1:
            raise ValidationError("1 would make every paragraph boilerplate: use 0 (off) or 2+.")


class MemberForm(Form):
    username = SelectField("User", validators=[DataRequired()])
    role = SelectField("Role in this project", choices=ROLE_CHOICES, default="annotator")


class MemberRoleForm(Form):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ImportForm(Form):
    files = MultipleFileField(
        "Files",
        validators=[FileRequired("Choose at least one .txt, .md, .jsonl or .html file.")],
        description=(
            "Plain text (.txt: title line, then one paragraph per line), Markdown (.md), "
            "JSONL, or saved web pages (.html: the article's text, title, author and date "
            "are extracted)."
        ),
        render_kw={"accept": ".txt,.text,.md,.markdown,.jsonl,.ndjson,.html,.htm"},
    )


class PatternForm(Form):
    file = FileField(
        "Pattern file",
        validators=[FileRequired("Choose a .jsonl pattern file.")],
        description='spaCy EntityRuler / Prodigy patterns, one a line: {"label": "GPE", '
        '"pattern": "South Korea"} or {"label": "GPE", "pattern": [{"LOWER": "seoul"}]}.',
    )
    language = StringField(
        "Tokenizer language",
        default="en",
        validators=[
            DataRequired(),
            Regexp(r"^[a-z]{2,3}\Z", message="A language code: en, de, zh, xx…"),
        ],
        description="spaCy's blank tokenizer for this language code (xx: multi-language).",
    )


class AssignForm(Form):
    article_id = HiddenField(validators=[DataRequired()])
    username = SelectField("Annotator", validators=[DataRequired()])


class AddLabelForm(Form):
    kind = HiddenField(validators=[DataRequired()])
    name = StringField("Name", validators=[DataRequired(), LABEL_NAME])
    color = StringField("Colour", default="#777777")
    key = StringField("Key", validators=[Optional(), Length(max=1)])
    description = StringField("Description", validators=[Length(max=500)])


class EntityLabelForm(Form):
    name = HiddenField(validators=[DataRequired()])
    color = StringField("Colour", validators=[DataRequired()])
    key = StringField("Key", validators=[Optional(), Length(max=1)])
    description = StringField("Description", validators=[Length(max=500)])


class RenameLabelForm(Form):
    kind = HiddenField(validators=[DataRequired()])
    old = HiddenField(validators=[DataRequired()])
    new = StringField("New name", validators=[DataRequired(), LABEL_NAME])


class RemoveLabelForm(Form):
    kind = HiddenField(validators=[DataRequired()])
    name = HiddenField(validators=[DataRequired()])
    merge_into = SelectField("Merge its annotations into", choices=[], validate_choice=False)
