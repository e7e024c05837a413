from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length

from complaints.messages import t
from complaints.models import NOTE_MAX
from complaints.routing.override import NOT_A_HANDLER
from complaints.routing.table import RoutingTable


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RoutingOverrideForm(FlaskForm):
    category = SelectField(t("routing.category"), validators=[DataRequired(t("form.required"))])
    lead_unit = SelectField(t("routing.lead_unit"), validators=[DataRequired(t("form.required"))])
    co_units = CheckboxList(t("routing.co_units"))
    reason = TextAreaField(
        t("routing.reason"),
        validators=[DataRequired(t("form.required")), Length(max=NOTE_MAX, message=t("form.too_long"))],
    )

    def __init__(self, table: RoutingTable, **kwargs: object) -> None:
        super().__init__(**kwargs)
        units = [(unit.slug, unit.name) for unit in table.units if unit.slug != NOT_A_HANDLER]
        self.category.choices = [(c.slug, c.name) for c in table.categories]
        self.lead_unit.choices = units
        self.co_units.choices = units
