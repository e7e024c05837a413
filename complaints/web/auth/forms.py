from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from complaints.accounts import MAX_PASSWORD_LENGTH
from complaints.core.limits import USERNAME_MAX
from complaints.core.messages import t


class LoginForm(FlaskForm):
    username = StringField(
        t("auth.username"),
        validators=[DataRequired(t("form.required")), Length(max=USERNAME_MAX, message=t("form.too_long"))],
    )
    password = PasswordField(
        t("auth.password"),
        validators=[
            DataRequired(t("form.required")),
            Length(max=MAX_PASSWORD_LENGTH, message=t("form.too_long")),
        ],
    )


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST so another site cannot trigger it."""


class PasswordForm(FlaskForm):
    current = PasswordField(t("password.current"), validators=[
        DataRequired(t("form.required")), Length(max=MAX_PASSWORD_LENGTH, message=t("form.too_long"))])
    new = PasswordField(t("password.new"), validators=[
        DataRequired(t("form.required")), Length(max=MAX_PASSWORD_LENGTH, message=t("form.too_long"))])
    repeat = PasswordField(t("password.repeat"), validators=[
        DataRequired(t("form.required")), EqualTo("new", message=t("password.error.repeat"))])



class CodeForm(FlaskForm):
    """A code from the authenticator app (6 digits) or a recovery code (xxxxx-xxxxx)."""

    code = StringField(t("second_factor.code"), validators=[
        DataRequired(t("form.required")), Length(max=20, message=t("form.too_long"))])
