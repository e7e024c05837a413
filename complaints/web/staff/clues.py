"""Problem clues: the commission's console, the lead unit's clue queue, and recording a clue.

Who sees a clue and what they may do is ``cases.policy`` (``clue_visibility``,
``clue_relations``); a clue someone may not see is a 404, exactly like a missing one.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from complaints.cases import identities, policy
from complaints.cases.clues import ClueError, allowed_clue_actions, perform_clue, record_clue
from complaints.cases.rules import TransitionError
from complaints.core.clock import now_utc
from complaints.core.messages import t
from complaints.core.vocabulary import ClueState, EventKind
from complaints.db.models import CaseEvent, Clue
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.staff.forms import ClueActionForm, ClueForm

bp = Blueprint("clues", __name__, url_prefix="/staff/clues")
LIST_ROWS = 500


@bp.before_request
@login_required
def require_login() -> None:
    if not (policy.can_see_clues(current_user) or policy.can_record_clue(current_user)):
        abort(404)


@bp.route("/")
def clue_list() -> str:
    state = request.args.get("state") or None
    query = (select(Clue).where(policy.clue_visibility(current_user))
             .options(selectinload(Clue.accused_unit), selectinload(Clue.complaint),
                      selectinload(Clue.recorded_by_unit))
             .order_by(Clue.received_at.desc()).limit(LIST_ROWS))
    if state in set(ClueState):
        query = query.where(Clue.state == ClueState(state))
    clues = db_session().scalars(query).all()
    return render_template("staff/clues.html", clues=clues, states=list(ClueState), state=state,
                           now=now_utc(), may_record=policy.can_record_clue(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new_clue() -> str | BaseResponse | tuple[str, int]:
    if not policy.can_record_clue(current_user):
        abort(404)
    form = ClueForm(components().table, policy.clue_sources_for(current_user))
    if form.validate_on_submit():
        try:
            clue = record_clue(db_session(), components().tools, current_user, form.to_new_clue())
        except ClueError as error:
            discard_changes()
            getattr(form, error.field).errors.append(t(f"clue.error.{error.field}"))
        else:
            flash(t("clue.recorded", number=clue.number))
            if policy.clue_relations(current_user, clue):
                return redirect(url_for("clues.clue_detail", number=clue.number))
            return redirect(url_for("clues.new_clue"))
        return render_template("staff/clue_new.html", form=form), 400
    status = 400 if request.method == "POST" else 200
    return render_template("staff/clue_new.html", form=form), status


@bp.route("/<number>")
def clue_detail(number: str) -> str:
    return _clue_page(_visible_clue_or_404(number))


@bp.route("/<number>/act", methods=["POST"])
def clue_action(number: str) -> BaseResponse | tuple[str, int]:
    clue = _visible_clue_or_404(number)
    form = ClueActionForm(components().table)
    if not form.validate_on_submit():
        return _clue_page(clue, action_error=t("lifecycle.invalid-form")), 400
    try:
        kind = EventKind(form.action.data)
        perform_clue(db_session(), components().tools, clue, form.to_action(kind),
                     policy.clue_relations(current_user, clue), current_user)
    except (ValueError, TransitionError) as error:
        discard_changes()
        message = error.message if isinstance(error, TransitionError) else t("lifecycle.invalid-form")
        return _clue_page(_visible_clue_or_404(number), action_error=message), 409
    flash(t("clue.done", action=t(f"clue.action.{kind.value}")))
    return redirect(url_for("clues.clue_detail", number=number))


def _visible_clue_or_404(number: str) -> Clue:
    clue = db_session().scalar(select(Clue).where(Clue.number == number.strip().upper()))
    if clue is None or not policy.clue_relations(current_user, clue):
        abort(404)
    return clue


def _clue_page(clue: Clue, action_error: str | None = None) -> str:
    relations = policy.clue_relations(current_user, clue)
    events = db_session().scalars(select(CaseEvent).where(CaseEvent.clue_id == clue.id)
                                  .options(selectinload(CaseEvent.actor))
                                  .order_by(CaseEvent.seq)).all()
    accused = identities.accused_name(components().vault, clue)
    case_visible = clue.complaint is not None and policy.can_see_case(current_user, clue.complaint)
    return render_template(
        "staff/clue.html", clue=clue, events=events, accused_name=accused,
        actions=allowed_clue_actions(clue, relations), action_error=action_error,
        case_visible=case_visible, units=components().table.handling_units, now=now_utc(),
        dispositions=ClueActionForm(components().table, formdata=None).disposition.choices)
