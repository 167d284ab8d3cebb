from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from annotator.forms import Form


class ChangePasswordForm(Form):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=500)])
    new = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=500)],
        description="At least 10 characters; a few unrelated words make a good password.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new", message="The two new passwords differ.")],
    )
