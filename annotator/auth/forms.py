from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from annotator.forms import Form
from annotator.text import unstorable_path


def _storable_or_nothing(value: str | None) -> str | None:
    """A `next` that cannot be stored (a NUL, a lone surrogate) is no target at all: the
    login goes home, as for any unsafe target (auth.views.safe_next), rather than failing."""
    return "" if value is not None and unstorable_path(value) is not None else value


class LoginForm(Form):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])
    remember = BooleanField("Keep me logged in")
    next = HiddenField(filters=[_storable_or_nothing])


class LogoutForm(Form):
    """Empty but for the CSRF token: logging out is a POST."""
