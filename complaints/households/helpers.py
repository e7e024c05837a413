"""Helpers (挂钩帮扶责任人): each roster household's assigned helpers, accounts of its township.

The township (or the lead unit) assigns them; a helper sees and reports on only their own
households (``intake.field_reports`` files the report). Plain Python, no Flask.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from complaints.core.vocabulary import Role
from complaints.db.models import Household, HouseholdHelper, User


class HelperError(ValueError):
    """``code`` names the reason for the message catalogue (helpers.error.<code>)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def assign_helper(session: Session, household: Household, helper: User) -> None:
    """Make ``helper`` one of the household's helpers; a helper of another township cannot be."""
    if helper.role is not Role.HELPER or not helper.is_active or helper.unit_id != household.township_id:
        raise HelperError("not-a-helper")
    if session.get(HouseholdHelper, (household.id, helper.id)) is None:
        session.add(HouseholdHelper(household_id=household.id, user_id=helper.id))
        session.flush()


def unassign_helper(session: Session, household: Household, helper: User) -> None:
    session.execute(delete(HouseholdHelper).where(HouseholdHelper.household_id == household.id,
                                                  HouseholdHelper.user_id == helper.id))


def households_of(session: Session, helper: User) -> list[Household]:
    """The households ``helper`` helps, by village."""
    return list(session.scalars(
        select(Household).join(HouseholdHelper, HouseholdHelper.household_id == Household.id)
        .where(HouseholdHelper.user_id == helper.id)
        .options(selectinload(Household.township))
        .order_by(Household.village, Household.id)))


def helps(session: Session, helper: User, household_id: int) -> bool:
    return helper.role is Role.HELPER and helper.is_active and \
        session.get(HouseholdHelper, (household_id, helper.id)) is not None


def township_helpers(session: Session, township_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.role == Role.HELPER, User.is_active.is_(True),
                                                   User.unit_id == township_id)
                                .order_by(User.display_name)))
