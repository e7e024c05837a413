"""The same problem reported twice: likely duplicates, suggested to the lead unit at triage.

Two complaints are likely the same when they came within ``WINDOW`` of each other about the
same place (the township, and the village when both name one) and either come from the same
phone (its keyed hash) or tell nearly the same thing (difflib's ratio over the texts as the
routing engine reads them: traditional characters, the lexicon, homophones). Only a
suggestion: the lead unit looks and decides. Merging them into one handling is not built yet.
"""

from __future__ import annotations

from datetime import timedelta
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from complaints.core.vocabulary import CaseStatus
from complaints.db.models import Complaint
from complaints.routing.reading import Reading

WINDOW = timedelta(days=30)
SIMILAR = 0.6  # of difflib's ratio: the same story in other words, typos included
MOST = 5


def likely_duplicates(session: Session, reading: Reading, complaint: Complaint) -> list[Complaint]:
    """Other complaints about the same place within the window, most alike first."""
    if complaint.township_id is None:
        return []
    nearby = session.scalars(
        select(Complaint)
        .where(Complaint.id != complaint.id, Complaint.township_id == complaint.township_id,
               Complaint.received_at.between(complaint.received_at - WINDOW,
                                             complaint.received_at + WINDOW),
               Complaint.status != CaseStatus.REJECTED)
        .options(selectinload(Complaint.reporter)).order_by(Complaint.received_at).limit(200)).all()
    mine = reading.read(complaint.description)
    phone = complaint.reporter.phone_hash if complaint.reporter else None
    scored = []
    for other in nearby:
        if complaint.village and other.village and complaint.village != other.village:
            continue
        same_phone = phone is not None and other.reporter is not None and other.reporter.phone_hash == phone
        likeness = SequenceMatcher(None, mine, reading.read(other.description), autojunk=False).ratio()
        if same_phone or likeness >= SIMILAR:
            scored.append((same_phone, likeness, other))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [other for _, _, other in scored[:MOST]]
