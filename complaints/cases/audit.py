"""The audit chains: every event is linked to the one before it in its chain, and every case
and clue is sealed, with a key held outside the database; signed checkpoints of the chains'
heads go to a second party.

- There are ``CHAINS`` chains, so that two filings never wait on one head row: a case's and a
  clue's events go to the chain their id picks (1 to ``CHAINS - 1``), everything else, and
  every event made before there were several chains, to chain 0. An event's ``seq`` is its
  place among all events (one counter, a sequence on PostgreSQL: taking it waits for nobody);
  within a chain it only grows. Each chain has its head row (``AuditHead.id`` is chain + 1).

- A link is an HMAC, keyed with ``AuditKeys.link_key`` (derived from the encryption key),
  over the previous link and the event's canonical content (including its place ``seq``).
  Changing, deleting or swapping an event breaks the chain there, and recomputing the links
  needs the key. Events from before the key (``AuditHead.keyed_from_seq``) keep their plain
  SHA-256 links as first released.
- The head (the newest link) carries its own MAC: a head made up, or a chain cut short to a
  place it never stood at, needs the key. (An older head put back with its own MAC, and the
  events after it deleted, is what the checkpoints catch: the events of a case or clue are
  also caught by its seal.)
- Each case and each clue carries a seal: a MAC over the fields its events decided (the
  description, the misconduct flag, the unit, the status...) and the place of its latest
  event. Every flush reseals what changed (``_seal_changed``); an edit made in the database
  does not match its seal, and an old row put back does not match its latest event.
- A checkpoint is every chain's head folded into one digest, signed with Ed25519
  (``checkpoint``); the commission files it, the quarterly report prints it. Anyone holding
  the public key checks a filed checkpoint against the chains (``check_checkpoint``), so a
  rewrite made after it, even by someone with the key and the database, shows.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import event as orm_event
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from complaints.core.clock import now_utc
from complaints.core.identity import AUDIT_KEYS, AuditKeys
from complaints.db.models import AuditHead, CaseEvent, Clue, Complaint

GENESIS = "0" * 64
LEGACY_FORMAT = 1  # plain SHA-256 links, as first released
FORMAT = 2  # keyed links
CHAINS = 16  # fixed for ever: an event's chain follows from its case's or clue's id
SEQUENCE = "case_event_seq"  # PostgreSQL's counter of events (the migration creates it)


class ChainError(RuntimeError):
    """The chain cannot be extended: its head does not hold, or the session has no key."""


def keys_of(session: Session) -> AuditKeys:
    keys = session.info.get(AUDIT_KEYS)
    if not isinstance(keys, AuditKeys):
        raise ChainError("this session was made without the audit chain's keys")
    return keys


def canonical(
    *, seq: int, complaint_id: int | None, occurred_at: datetime, actor_user_id: int | None,
    actor_kind: str, action: str, from_status: str | None, to_status: str | None,
    note: str | None, details: dict[str, Any] | None, clue_id: int | None = None,
    format: int = FORMAT,
) -> bytes:
    content: dict[str, Any] = {
        "format": format,
        "seq": seq,
        "complaint_id": complaint_id,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_user_id": actor_user_id,
        "actor_kind": actor_kind,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
        "details": details,
    }
    # Only a clue's events carry it: every event hashed before clues existed keeps its hash.
    if clue_id is not None:
        content["clue_id"] = clue_id
    return _json(content)


def _json(content: object) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode()


def link_hash(prev_hash: str, content: bytes) -> str:
    """A link as first released: plain SHA-256 (anyone could recompute it)."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + content).hexdigest()


def keyed_link(keys: AuditKeys, prev_hash: str, content: bytes) -> str:
    return keys.mac(prev_hash.encode("ascii") + b"\n" + content)


def head_mac(keys: AuditKeys, seq: int, digest: str, keyed_from_seq: int, chain: int = 0) -> str:
    # Chain 0's MAC reads as it did when it was the only chain, so a head sealed then holds.
    place = f"{seq}|{digest}|{keyed_from_seq}" if chain == 0 else f"{chain}|{seq}|{digest}|{keyed_from_seq}"
    return keys.mac(f"head|{place}".encode("ascii"))


def chain_of(complaint_id: int | None, clue_id: int | None) -> int:
    """The chain of a case's or a clue's events; 0 for those of neither (reports, accounts).
    A clue opened from a case gives its case's id: the filing that opens both then holds one
    head, not two that another filing may hold (a clue's events made before this stay on the
    chain of its own id; the walk follows the stored chain)."""
    owner = complaint_id if complaint_id is not None else clue_id
    return 0 if owner is None else 1 + owner % (CHAINS - 1)


CONTENT_FIELDS = ("complaint_id", "clue_id", "occurred_at", "actor_user_id", "actor_kind",
                  "action", "from_status", "to_status", "note", "details")


def _link_of(keys: AuditKeys, event: CaseEvent, keyed_from_seq: int) -> str:
    fields = {name: getattr(event, name) for name in CONTENT_FIELDS}
    if event.seq < keyed_from_seq:
        return link_hash(event.prev_hash, canonical(seq=event.seq, format=LEGACY_FORMAT, **fields))
    return keyed_link(keys, event.prev_hash, canonical(seq=event.seq, **fields))


def _head_problem(keys: AuditKeys, head: AuditHead) -> str | None:
    """Why the head cannot be trusted, or None. Only an empty chain has no MAC: ``flask db
    upgrade`` seals the head of a chain begun before the keys (``seal_unsealed``)."""
    keyed_from = head.keyed_from_seq if head.keyed_from_seq is not None else head.seq + 1
    chain = head.id - 1
    if head.mac is None:
        if head.seq == 0 and head.hash == GENESIS:
            return None  # an empty chain
        return f"chain {chain}'s head carries no seal (run flask db upgrade)"
    if not hmac.compare_digest(head.mac, head_mac(keys, head.seq, head.hash, keyed_from, chain)):
        return f"chain {chain}'s head was changed without the key (events cut off or replaced)"
    return None


def _empty_head(chain: int) -> AuditHead:
    return AuditHead(id=chain + 1, seq=0, hash=GENESIS, keyed_from_seq=1)


def _next_seq(session: Session) -> int:
    """The next place among all events. PostgreSQL's sequence never waits (a rolled-back
    filing leaves a gap); SQLite has one writer at a time, so the largest place plus one."""
    if session.get_bind().dialect.name == "postgresql":
        return int(session.scalar(text(f"SELECT nextval('{SEQUENCE}')")))
    return int(session.scalar(select(func.coalesce(func.max(CaseEvent.seq), 0))) or 0) + 1


def next_link(session: Session, fields: dict[str, Any],
              chain: int | None = None) -> tuple[int, int, str, str]:
    """Take the next place in its chain for an event with these fields:
    (chain, seq, prev_hash, hash).

    The chain's head row is locked until the transaction ends, so two requests can never
    take the same place in one chain (SQLite's IMMEDIATE transactions do the same); requests
    about other cases use other chains. A head that does not hold is not built on: the writes
    fail loudly rather than bury a rewrite under new links.
    """
    keys = keys_of(session)
    if chain is None:
        chain = chain_of(fields["complaint_id"], fields["clue_id"])
    head = session.scalar(select(AuditHead).where(AuditHead.id == chain + 1).with_for_update())
    if head is None:  # the migration creates them; a database made otherwise starts here
        if session.scalar(select(CaseEvent.id).where(CaseEvent.chain == chain).limit(1)) is not None:
            raise ChainError(f"chain {chain}'s head is gone while its events are there")
        head = _empty_head(chain)
        session.add(head)
    problem = _head_problem(keys, head)
    if problem is not None:
        raise ChainError(problem)
    if head.keyed_from_seq is None:
        head.keyed_from_seq = head.seq + 1
    seq = _next_seq(session)
    digest = keyed_link(keys, head.hash, canonical(seq=seq, **fields))
    prev_hash = head.hash
    head.seq, head.hash = seq, digest
    head.mac = head_mac(keys, seq, digest, head.keyed_from_seq, chain)
    return chain, seq, prev_hash, digest


def heads(session: Session) -> list[AuditHead]:
    """Every chain's head, by chain (an unused chain's as empty)."""
    found = {head.id - 1: head for head in session.scalars(select(AuditHead))}
    return [found.get(chain) or _empty_head(chain) for chain in range(CHAINS)]


def fold(places: Sequence[tuple[int, str]]) -> str:
    """One digest of every chain's head (seq, hash), in chain order: what a checkpoint signs."""
    text_ = "|".join(f"{chain}:{seq}:{digest}" for chain, (seq, digest) in enumerate(places))
    return hashlib.sha256(text_.encode("ascii")).hexdigest()


def current_head(session: Session) -> tuple[int, str]:
    """The newest place among all events and the fold of the heads: the chains in one line."""
    places = [(head.seq, head.hash) for head in heads(session)]
    return max(seq for seq, _ in places), fold(places)


# ------------------------------------------------------------------ seals of cases and clues

# What a case's and a clue's events decided; a seal covers these and the latest event's place.
COMPLAINT_SEALED = ("tracking_number", "channel", "description", "hazard_description",
                    "alleges_misconduct", "category", "township_id", "responsible_unit_id",
                    "status", "outcome", "needs_triage", "received_at", "resolved_at",
                    "last_event_seq")
CLUE_SEALED = ("number", "complaint_id", "source", "accused_unit_id", "accused_name_sealed",
               "accused_post", "real_name", "allegation", "state", "disposition", "result",
               "returned_to_unit_id", "last_event_seq")


def _value(value: object) -> object:
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return getattr(value, "value", value)  # an enum by its stored value


def _field(record: Complaint | Clue, name: str) -> object:
    # Before a flush a foreign key may be known only through its relationship (a unit set as
    # ``complaint.township``): read it there, as the flush will write it.
    if name.endswith("_id"):
        related = record.__dict__.get(name[:-3])
        if related is not None and getattr(related, "id", None) is not None:
            return related.id
    return _value(getattr(record, name))


def record_seal(keys: AuditKeys, record: Complaint | Clue) -> str:
    kind, names = (("case", COMPLAINT_SEALED) if isinstance(record, Complaint)
                   else ("clue", CLUE_SEALED))
    return keys.mac(_json({"record": kind, **{name: _field(record, name) for name in names}}))


@orm_event.listens_for(Session, "before_flush")
def _seal_changed(session: Session, _context: object, _instances: object) -> None:
    """Every case and clue written through the app is sealed as it is written."""
    changed = [record for record in (*session.new, *session.dirty)
               if isinstance(record, Complaint | Clue)]
    if changed:
        keys = keys_of(session)
        for record in changed:
            record.seal = record_seal(keys, record)


def seal_unsealed(session: Session) -> int:
    """What a chain begun before the keys needs once (``flask db upgrade`` runs it): the head's
    MAC, and seals on the cases and clues whose events all came before the keyed links (none
    since has a place of its latest event), so nothing changed later can be slipped in this
    way. Returns how many records it sealed."""
    head = session.get(AuditHead, 1)
    keys, sealed = keys_of(session), 0
    if head is not None and head.mac is None and head.seq > 0:
        if head.keyed_from_seq is None or head.seq != head.keyed_from_seq - 1:
            raise ChainError("the chain's head carries no seal but keyed events follow it")
        head.mac = head_mac(keys, head.seq, head.hash, head.keyed_from_seq)
    keyed_from = head.keyed_from_seq if head and head.keyed_from_seq is not None else 1
    with session.no_autoflush:  # (records bound just before are sealed here, not half-way)
        for model in (Complaint, Clue):
            link = CaseEvent.complaint_id if model is Complaint else CaseEvent.clue_id
            latest = (select(link, func.max(CaseEvent.seq).label("seq")).where(link.is_not(None))
                      .group_by(link).subquery())
            rows = session.execute(
                select(model, latest.c.seq).outerjoin(latest, latest.c[link.key] == model.id)
                .where(model.last_event_seq.is_(None))).all()
            for record, last_seq in rows:
                if last_seq is None or last_seq < keyed_from:
                    record.last_event_seq = last_seq
                    record.seal = record_seal(keys, record)
                    sealed += 1
    return sealed


# ------------------------------------------------------------------------------ verifying

@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    broken_seq: int | None = None
    records: int = 0  # cases and clues whose seals were checked


def verify(session: Session, batch: int = 2000) -> Verdict:
    """Walk every chain in order, then every case's and clue's seal; stop at the first thing
    that does not hold. ``head_seq``/``head_hash``: the newest place and the heads' fold."""
    keys = keys_of(session)
    chain_heads = heads(session)
    head_seq, head_hash = current_head(session)
    for head in chain_heads:
        problem = _head_problem(keys, head)
        if problem is not None:
            return Verdict(False, 0, head_seq, head_hash, problem, head.seq)
    checked, breaks = 0, []
    for chain, head in enumerate(chain_heads):
        walked, broken = _walk(session, keys, chain, head, batch)
        checked += walked
        if broken is not None:
            breaks.append(broken)
    if breaks:  # the earliest place that does not hold, whichever chain it is in
        problem, place = min(breaks, key=lambda broken: broken[1])
        return Verdict(False, checked, head_seq, head_hash, problem, place)
    records, problem = _check_seals(session, keys, batch)
    return Verdict(problem is None, checked, head_seq, head_hash, problem, None, records)


def _walk(session: Session, keys: AuditKeys, chain: int, head: AuditHead,
          batch: int) -> tuple[int, tuple[str, int] | None]:
    """Walk one chain: how many events held, and what broke (why, at which place) if any."""
    keyed_from = head.keyed_from_seq if head.keyed_from_seq is not None else head.seq + 1
    expected_prev, checked, last_seq = GENESIS, 0, 0
    while True:
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.chain == chain, CaseEvent.seq > last_seq)
            .order_by(CaseEvent.seq).limit(batch)).all()
        if not events:
            break
        for event in events:
            if event.prev_hash != expected_prev:
                return checked, (f"event {event.seq} does not follow the event before it in chain "
                                 f"{chain} (one is missing or moved)", event.seq)
            if not hmac.compare_digest(_link_of(keys, event, keyed_from), event.hash):
                return checked, (f"event {event.seq} (case event id {event.id}) was altered",
                                 event.seq)
            expected_prev, checked = event.hash, checked + 1
        last_seq = events[-1].seq
        session.expunge_all()
    if last_seq != head.seq or expected_prev != head.hash:
        return checked, (f"chain {chain} ends at event {last_seq} but its head says {head.seq}: "
                         "events are missing", head.seq)
    return checked, None


def _check_seals(session: Session, keys: AuditKeys, batch: int) -> tuple[int, str | None]:
    checked = 0
    models: tuple[tuple[type[Complaint] | type[Clue], str], ...] = ((Complaint, "case"), (Clue, "clue"))
    for model, name in models:
        link = CaseEvent.complaint_id if model is Complaint else CaseEvent.clue_id
        latest = dict(session.execute(select(link, func.max(CaseEvent.seq))
                                      .where(link.is_not(None)).group_by(link)).all())
        last_id = 0
        while True:
            records: Sequence[Complaint | Clue] = session.scalars(  # type: ignore[assignment]
                select(model).where(model.id > last_id).order_by(model.id).limit(batch)).all()
            if not records:
                break
            for record in records:
                label = getattr(record, "tracking_number", None) or getattr(record, "number", None)
                if record.seal is None:
                    return checked, f"{name} {label} carries no seal"
                if not hmac.compare_digest(record.seal, record_seal(keys, record)):
                    return checked, f"{name} {label} was changed outside the service"
                if record.last_event_seq != latest.get(record.id):
                    return checked, (f"{name} {label} does not match its latest event "
                                     "(an older copy put back, or its events moved)")
                checked += 1
                last_id = record.id
            session.expunge_all()
    return checked, None


# ---------------------------------------------------------------------------- checkpoints

@dataclass(frozen=True)
class Checkpoint:
    seq: int         # the newest place among all events
    hash: str        # the fold of every chain's head (a line from before the chains: the head)
    at: datetime
    public_key: str  # hex, Ed25519
    signature: str   # base64
    chain_seqs: tuple[int, ...] | None = None  # each chain's head place; None before the chains

    def line(self) -> str:
        chains = f" chains={','.join(map(str, self.chain_seqs))}" if self.chain_seqs is not None else ""
        return (f"checkpoint seq={self.seq} hash={self.hash}{chains} "
                f"at={self.at.isoformat(timespec='seconds')} key={self.public_key} sig={self.signature}")

    @property
    def signed_text(self) -> bytes:
        at = self.at.isoformat(timespec="seconds")
        if self.chain_seqs is None:
            return f"yunxiao-complaints chain {self.seq} {self.hash} {at}".encode()
        chains = ",".join(map(str, self.chain_seqs))
        return f"yunxiao-complaints chains {self.seq} {self.hash} {chains} {at}".encode()


def checkpoint(session: Session) -> Checkpoint:
    """Every chain's head now, folded and signed: the line for the commission to file. A head
    that does not hold is never signed."""
    keys = keys_of(session)
    chain_heads = heads(session)
    for head in chain_heads:
        problem = _head_problem(keys, head)
        if problem is not None:
            raise ChainError(problem)
    seq, digest = current_head(session)
    unsigned = Checkpoint(seq, digest, now_utc().replace(microsecond=0), keys.public_key, "",
                          tuple(head.seq for head in chain_heads))
    signature = base64.b64encode(keys.signing_key.sign(unsigned.signed_text)).decode("ascii")
    return Checkpoint(seq, digest, unsigned.at, keys.public_key, signature, unsigned.chain_seqs)


class CheckpointError(ValueError):
    pass


def parse_checkpoint(line: str) -> Checkpoint:
    try:
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        chains = tuple(int(n) for n in fields["chains"].split(",")) if "chains" in fields else None
        if chains is not None and len(chains) != CHAINS:
            raise ValueError("a checkpoint names every chain")
        return Checkpoint(int(fields["seq"]), fields["hash"], datetime.fromisoformat(fields["at"]),
                          fields["key"], fields["sig"], chains)
    except (KeyError, ValueError) as error:
        raise CheckpointError(f"not a checkpoint line: {line[:80]!r}") from error


def check_checkpoint(session: Session, filed: Checkpoint, public_key: str) -> str | None:
    """Why the chains no longer agree with a checkpoint filed earlier, or None. ``public_key``
    is the service's, as the commission recorded it (not the one the line claims)."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            base64.b64decode(filed.signature), filed.signed_text)
    except (InvalidSignature, ValueError, binascii.Error):
        return f"the checkpoint at event {filed.seq} is not signed by this service's key"
    when = f"{filed.at:%Y-%m-%d}"
    if filed.chain_seqs is None:  # signed when there was one chain: its head was chain 0's
        return _place_problem(session, 0, filed.seq, filed.hash, when)
    places = []
    for chain, seq in enumerate(filed.chain_seqs):
        digest = GENESIS if seq == 0 else session.scalar(
            select(CaseEvent.hash).where(CaseEvent.seq == seq, CaseEvent.chain == chain))
        if digest is None:
            return f"event {seq}, chain {chain}'s head in the checkpoint of {when}, is gone"
        places.append((seq, digest))
    if fold(places) != filed.hash:
        return f"the chains are not the ones signed on {when}: they were rewritten after the checkpoint"
    return None


def _place_problem(session: Session, chain: int, seq: int, digest: str, when: str) -> str | None:
    if seq == 0:
        return None if digest == GENESIS else "the checkpoint at event 0 is not the chain's start"
    event = session.scalar(select(CaseEvent).where(CaseEvent.seq == seq, CaseEvent.chain == chain))
    if event is None:
        return f"event {seq}, signed in the checkpoint of {when}, is gone"
    if event.hash != digest:
        return (f"event {seq} is not the one signed on {when}: "
                "the chain was rewritten after the checkpoint")
    return None
