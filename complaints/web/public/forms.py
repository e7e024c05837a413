from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from complaints.core.limits import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    PHONE_MAX,
    REPORTER_NAME_MAX,
    VILLAGE_MAX,
)
from complaints.core.messages import t
from complaints.core.vocabulary import HouseholdType, HouseStructure
from complaints.routing.table import FALLBACK_CATEGORY, RoutingTable

TRACKING_MAX = 20
CODE_MAX = 12


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ReportForm(FlaskForm):
    category = RadioField(t("report.category"), validators=[Optional()], validate_choice=True)
    township = SelectField(t("report.township"), validators=[DataRequired(t("report.error.township"))])
    village = StringField(t("report.village"), validators=[
        Optional(), Length(max=VILLAGE_MAX, message=t("form.too_long"))])
    address = StringField(t("report.address"), validators=[
        Optional(), Length(max=ADDRESS_MAX, message=t("form.too_long"))])
    structure = RadioField(t("report.structure"), default=HouseStructure.UNKNOWN.value)
    household = RadioField(t("report.household"), default=HouseholdType.UNKNOWN.value)
    description = TextAreaField(t("report.description"), validators=[
        DataRequired(t("report.error.description")),
        Length(min=4, max=DESCRIPTION_MAX, message=t("report.error.description_length")),
    ])
    photos = MultipleFileField(t("report.photos"))
    anonymous = BooleanField(t("report.anonymous"))
    name = StringField(t("report.name"), validators=[
        Optional(), Length(max=REPORTER_NAME_MAX, message=t("form.too_long"))])
    phone = StringField(t("report.phone"), validators=[
        Optional(), Length(max=PHONE_MAX, message=t("form.too_long"))])
    misconduct = BooleanField(t("report.misconduct"))
    captcha = StringField(t("report.captcha"), validators=[DataRequired(t("report.error.captcha"))])
    submission_token = HiddenField()

    def __init__(self, table: RoutingTable, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.category.choices = _choices(
            [(c.slug, c.name) for c in table.categories if c.slug != FALLBACK_CATEGORY]
            + [(FALLBACK_CATEGORY, t("report.category_other"))])
        self.township.choices = _choices(
            [("", t("report.township_choose"))] + [(u.slug, u.name) for u in table.townships])
        self.structure.choices = _choices([(s.value, t(f"structure.{s.value}")) for s in HouseStructure])
        self.household.choices = _choices([(h.value, t(f"household.{h.value}")) for h in HouseholdType])


class StatusForm(FlaskForm):
    tracking_number = StringField(t("status_page.tracking_number"), validators=[
        DataRequired(t("form.required")), Length(max=TRACKING_MAX, message=t("form.too_long"))])
    query_code = StringField(t("status_page.query_code"), validators=[
        DataRequired(t("form.required")), Length(max=CODE_MAX, message=t("form.too_long"))])


class MessageForm(StatusForm):
    text = TextAreaField(t("status_page.message"), validators=[
        DataRequired(t("form.required")), Length(max=NOTE_MAX, message=t("form.too_long"))])
    photos = MultipleFileField(t("report.photos"))


class FeedbackForm(StatusForm):
    """The reporter's answer once the case is resolved: fixed or not, and how satisfied."""

    fixed = RadioField(t("feedback.fixed"), choices=_choices([("yes", t("feedback.fixed_yes")),
                                                              ("no", t("feedback.fixed_no"))]),
                       validators=[DataRequired(t("feedback.error.fixed"))])
    satisfaction = RadioField(t("feedback.satisfaction"), validators=[Optional()], choices=_choices(
        [(str(score), t(f"feedback.score_{score}")) for score in (5, 4, 3, 2, 1)]))
