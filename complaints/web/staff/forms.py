from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from complaints.cases.callbacks import CallResult
from complaints.cases.clues import ClueAction, NewClue
from complaints.cases.operations import ActionRequest
from complaints.cases.queries import SEARCH_MAX, CaseFilter
from complaints.core.limits import ADDRESS_MAX, DESCRIPTION_MAX, NOTE_MAX, PHONE_MAX, VILLAGE_MAX
from complaints.core.messages import t
from complaints.core.vocabulary import (
    AppraisalGrade,
    CaseStatus,
    ClueSource,
    CommissionDisposition,
    EventKind,
    HouseholdType,
    HouseStructure,
    Outcome,
    ReviewDecision,
    SlaState,
    UnitKind,
    VisitResult,
)
from complaints.db.models.cases import ACCUSED_POST_MAX
from complaints.routing.table import RoutingTable


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def handling_units(table: RoutingTable) -> list[tuple[str, str]]:
    return [(unit.slug, unit.name) for unit in table.handling_units]


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
        units = handling_units(table)
        self.category.choices = choices((c.slug, c.name) for c in table.categories)
        self.lead_unit.choices = choices(units)
        self.co_units.choices = choices(units)


class ActionForm(FlaskForm):
    """Every lifecycle action posts this form; the lifecycle decides what each needs."""

    action = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(t("actionform.reason"),
                           validators=[Optional(), Length(max=NOTE_MAX, message=t("form.too_long"))])
    unit = SelectField(t("actionform.unit"), validators=[Optional()], validate_choice=False)
    co_units = CheckboxList(t("actionform.co_units"), validate_choice=False)
    outcome = SelectField(t("actionform.outcome"), validators=[Optional()],
                          choices=choices([("", "")] + [(o.value, t(f"outcome.{o.value}")) for o in Outcome]))
    days = IntegerField(t("actionform.days"), validators=[Optional(), NumberRange(1, 366)])
    user_id = IntegerField(validators=[Optional()])
    co_units_shown = HiddenField()
    fixed = SelectField(t("actionform.fixed"), validators=[Optional()],
                        choices=choices([("", ""), ("yes", t("case.yes")), ("no", t("case.no"))]))
    due_on = DateField(t("actionform.due_on"), validators=[Optional()])
    into = StringField(validators=[Optional(), Length(max=20)])
    household_id = IntegerField(validators=[Optional()])
    decision = SelectField(t("review.decision_label"), validators=[Optional()], choices=choices(
        [("", "")] + [(d.value, t(f"review.decision.{d.value}")) for d in ReviewDecision]))
    satisfaction = SelectField(t("actionform.satisfaction"), validators=[Optional()],
                               choices=choices([("", "")] + [(str(n), str(n)) for n in range(5, 0, -1)]))

    def __init__(self, table: RoutingTable, **kwargs: object) -> None:
        super().__init__(**kwargs)
        units = handling_units(table)
        self.unit.choices = choices([("", ""), *units])
        self.co_units.choices = choices(units)

    def to_request(self, action: EventKind) -> ActionRequest:
        return ActionRequest(
            kind=action,
            reason=self.reason.data,
            unit=self.unit.data or None,
            # The assign form says when its co-unit boxes were shown: then none ticked means none.
            co_units=list(self.co_units.data or []) if self.co_units_shown.data else None,
            outcome=Outcome(self.outcome.data) if self.outcome.data else None,
            days=self.days.data,
            user_id=self.user_id.data,
            fixed={"yes": True, "no": False}.get(self.fixed.data or ""),
            satisfaction=int(self.satisfaction.data) if self.satisfaction.data else None,
            decision=ReviewDecision(self.decision.data) if self.decision.data else None,
            due_on=self.due_on.data,
            into=(self.into.data or "").strip().upper() or None,
            household_id=self.household_id.data,
        )


class CaseFilterForm(FlaskForm):
    """The list's filters: a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(t("case.status"), validators=[Optional()])
    sla = SelectField(t("filter.sla"), validators=[Optional()])
    category = SelectField(t("case.category"), validators=[Optional()])
    township = SelectField(t("case.township"), validators=[Optional()])
    q = StringField(t("filter.search"), validators=[Optional(), Length(max=SEARCH_MAX)])
    triage = SelectField(t("routing.needs_triage"), validators=[Optional()],
                         choices=choices([("", t("filter.any")), ("1", t("case.yes"))]))
    page = IntegerField(validators=[Optional(), NumberRange(1, 100000)])

    def __init__(self, formdata: object, table: RoutingTable) -> None:
        super().__init__(formdata=formdata)
        any_ = [("", t("filter.any"))]
        self.status.choices = choices(any_ + [(s.value, t(f"status.{s.value}")) for s in CaseStatus])
        self.sla.choices = choices(any_ + [(s.value, t(f"sla.{s.value}")) for s in
                                           (SlaState.OVERDUE, SlaState.DUE_SOON, SlaState.ON_TIME)])
        self.category.choices = choices(any_ + [(c.slug, c.name) for c in table.categories])
        self.township.choices = choices(any_ + [(u.slug, u.name) for u in table.townships])

    def to_filter(self) -> CaseFilter:
        return CaseFilter(
            status=CaseStatus(self.status.data) if self.status.data else None,
            sla=SlaState(self.sla.data) if self.sla.data else None,
            category=self.category.data or None,
            township=self.township.data or None,
            text=self.q.data or None,
            needs_triage=self.triage.data == "1",
            page=self.page.data or 1,
        )


class CallForm(FlaskForm):
    """What an operator types while the caller talks."""

    caller = StringField(t("call.caller"), validators=[Optional(), Length(max=PHONE_MAX)])
    duration = IntegerField(t("call.duration"), validators=[Optional(), NumberRange(0, 600)])
    township = SelectField(t("report.township"), validators=[Optional()])
    village = StringField(t("report.village"), validators=[Optional(), Length(max=VILLAGE_MAX)])
    address = StringField(t("report.address"), validators=[Optional(), Length(max=ADDRESS_MAX)])
    structure = SelectField(t("report.structure"), validators=[Optional()])
    household = SelectField(t("report.household"), validators=[Optional()])
    summary = TextAreaField(t("call.summary"), validators=[
        DataRequired(t("report.error.description")), Length(max=DESCRIPTION_MAX)])
    misconduct = BooleanField(t("report.misconduct"))
    category = SelectField(t("call.category"), validators=[Optional()])
    unit_override = SelectField(t("call.unit"), validators=[Optional()])
    override_reason = StringField(t("call.override_reason"), validators=[Optional(), Length(max=500)])
    send_sms = BooleanField(t("call.send_sms"))
    voicemail_id = HiddenField()
    sms_id = HiddenField()  # a set-aside SMS being written up
    # One per form shown: the same call saved again (a reload, a double click) is one case.
    submission_token = HiddenField(validators=[Optional(), Length(max=64)])

    def __init__(self, table: RoutingTable, **kwargs: object) -> None:
        super().__init__(**kwargs)
        any_ = [("", t("call.as_routed"))]
        self.township.choices = choices([("", t("report.township_choose"))]
                                        + [(u.slug, u.name) for u in table.townships])
        self.structure.choices = choices([(s.value, t(f"structure.{s.value}")) for s in HouseStructure])
        self.household.choices = choices([(h.value, t(f"household.{h.value}")) for h in HouseholdType])
        self.category.choices = choices(any_ + [(c.slug, c.name) for c in table.categories])
        self.unit_override.choices = choices(any_ + handling_units(table))


def accusable_units(table: RoutingTable) -> list[tuple[str, str]]:
    """Every unit a clue may accuse: the handling units and the lead unit, not the commission."""
    return [(unit.slug, unit.name) for unit in table.units if unit.slug != table.commission.slug]


class ClueForm(FlaskForm):
    """A clue a unit found in its work, or one an operator took from a letter, visit, fax."""

    source = SelectField(t("clue.source_label"), validators=[DataRequired(t("clue.error.source"))])
    allegation = TextAreaField(t("clue.allegation"), validators=[
        DataRequired(t("clue.error.allegation")),
        Length(max=DESCRIPTION_MAX, message=t("clue.error.allegation"))])
    accused_unit = SelectField(t("clue.accused_unit"), validators=[Optional()])
    accused_name = StringField(t("clue.accused_name"), validators=[Optional(), Length(max=40)])
    accused_post = StringField(t("clue.accused_post"), validators=[
        Optional(), Length(max=ACCUSED_POST_MAX, message=t("clue.error.accused_post"))])
    real_name = BooleanField(t("clue.real_name"))

    def __init__(self, table: RoutingTable, sources: list[ClueSource], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source.choices = choices((s.value, t(f"clue.source.{s.value}")) for s in sources)
        self.accused_unit.choices = choices([("", t("clue.unknown_unit")), *accusable_units(table)])

    def to_new_clue(self) -> NewClue:
        return NewClue(
            source=ClueSource(self.source.data), allegation=self.allegation.data or "",
            accused_unit=self.accused_unit.data or None, accused_name=self.accused_name.data,
            accused_post=self.accused_post.data, real_name=bool(self.real_name.data))


class ClueActionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(t("clue.reason"),
                           validators=[Optional(), Length(max=NOTE_MAX, message=t("form.too_long"))])
    disposition = SelectField(t("clue.disposition_label"), validators=[Optional()], choices=choices(
        [("", "")] + [(d.value, t(f"clue.disposition.{d.value}")) for d in CommissionDisposition]))
    result_on = DateField(t("clue.result_on"), validators=[Optional()])
    unit = SelectField(t("clue.returned_to"), validators=[Optional()])

    def __init__(self, table: RoutingTable, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.unit.choices = choices([("", ""), *handling_units(table)])

    def to_action(self, kind: EventKind) -> ClueAction:
        return ClueAction(
            kind=kind, reason=self.reason.data,
            disposition=CommissionDisposition(self.disposition.data) if self.disposition.data else None,
            result_on=self.result_on.data, unit=self.unit.data or None)


class RetrySmsForm(FlaskForm):
    """Only its CSRF token: a set-aside SMS put back for the worker."""


class CallBackForm(FlaskForm):
    """What a 回访 call found (the number is asked for with the same form's token)."""

    reached = SelectField(t("callback.reached"), validators=[Optional()], choices=choices(
        [("", ""), ("yes", t("case.yes")), ("no", t("case.no"))]))
    fixed = SelectField(t("actionform.fixed"), validators=[Optional()],
                        choices=choices([("", ""), ("yes", t("case.yes")), ("no", t("case.no"))]))
    satisfaction = SelectField(t("actionform.satisfaction"), validators=[Optional()],
                               choices=choices([("", "")] + [(str(n), t(f"feedback.score_{n}"))
                                                             for n in range(5, 0, -1)]))
    note = TextAreaField(t("callback.note"), validators=[
        Optional(), Length(max=NOTE_MAX, message=t("form.too_long"))])

    def result(self) -> CallResult:
        return CallResult(
            reached=self.reached.data == "yes",
            fixed={"yes": True, "no": False}.get(self.fixed.data or ""),
            satisfaction=int(self.satisfaction.data) if self.satisfaction.data else None,
            note=(self.note.data or "").strip() or None)


class RosterForm(FlaskForm):
    """A providing unit's list of newly registered poor households, as it was sent."""

    file = FileField(t("roster.file"))
    provider = SelectField(t("roster.provider"), validators=[DataRequired(t("form.required"))],
                           validate_choice=False)
    received_on = DateField(t("roster.received_on"), validators=[DataRequired(t("form.required"))])

    def __init__(self, table: RoutingTable, **kwargs: object) -> None:
        super().__init__(**kwargs)
        # The participating units send lists; which of them do is theirs to say, not the code's.
        self.provider.choices = choices(
            [(unit.slug, unit.name) for unit in table.units if unit.kind is UnitKind.PARTICIPATING])


class AppraisalForm(FlaskForm):
    grade = SelectField(t("roster.grade"), validators=[DataRequired(t("form.required"))],
                        choices=choices([(g.value, t(f"roster.grade_{g.value}")) for g in AppraisalGrade]))
    appraised_on = DateField(t("roster.appraised_on"), validators=[DataRequired(t("form.required"))])
    appraiser = StringField(t("roster.appraiser"), validators=[
        DataRequired(t("form.required")), Length(max=60, message=t("form.too_long"))])
    photo = FileField(t("roster.photo"))


class RectificationForm(FlaskForm):
    progress = TextAreaField(t("roster.progress"), validators=[
        Optional(), Length(max=NOTE_MAX, message=t("form.too_long"))])
    done = BooleanField(t("roster.rectified"))
    plate_posted_on = DateField(t("roster.plate_posted_on"), validators=[Optional()])
    photo = FileField(t("roster.photo"))  # of the work, or of the plate when it is posted


class VisitForm(FlaskForm):
    """A quarterly visit's result: safe, a hazard (a case is filed), or dealt with on the spot."""

    result = SelectField(t("visits.result"), validators=[DataRequired(t("form.required"))],
                         choices=choices([(r.value, t(f"visits.result_{r.value}")) for r in VisitResult]))
    note = TextAreaField(t("visits.note"), validators=[
        DataRequired(t("visits.error.note")), Length(max=NOTE_MAX, message=t("form.too_long"))])
    photo = FileField(t("visits.photo"))


class HelperReportForm(FlaskForm):
    """A helper's report on one household: the problem from the table's short list, a note,
    a photo; the token makes a form sent twice on a slow line one report."""

    problem = SelectField(t("helper_page.problem"), validators=[DataRequired(t("helper_page.error.problem"))],
                          validate_choice=False)
    note = TextAreaField(t("helper_page.note"), validators=[
        Optional(), Length(max=NOTE_MAX, message=t("form.too_long"))])
    photo = FileField(t("helper_page.photo"))
    submission_token = HiddenField()

    def __init__(self, table: RoutingTable, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.problem.choices = choices([(p.slug, p.name) for p in table.campaign.helper_problems])


class TownshipReportForm(FlaskForm):
    text = TextAreaField(t("township_report.text"), validators=[
        DataRequired(t("township_report.error.text")), Length(max=20000, message=t("form.too_long"))])


class ProblemForm(FlaskForm):
    """A problem a unit's own inspection found, for the ledger."""

    found_on = DateField(t("ledger.found_on"), validators=[DataRequired(t("form.required"))])
    description = TextAreaField(t("ledger.description"), validators=[
        DataRequired(t("form.required")), Length(max=NOTE_MAX, message=t("form.too_long"))])
    measure = TextAreaField(t("ledger.measure"), validators=[
        Optional(), Length(max=NOTE_MAX, message=t("form.too_long"))])
    person = StringField(t("ledger.person"), validators=[
        DataRequired(t("form.required")), Length(max=40, message=t("form.too_long"))])
    deadline_on = DateField(t("ledger.deadline_on"), validators=[DataRequired(t("form.required"))])


class ProblemUpdateForm(FlaskForm):
    progress = TextAreaField(t("ledger.progress"), validators=[
        Optional(), Length(max=NOTE_MAX, message=t("form.too_long"))])
    closed_on = DateField(t("ledger.closed_on"), validators=[Optional()])
