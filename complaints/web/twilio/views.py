"""Twilio webhooks. A request without a valid X-Twilio-Signature gets 403 and touches nothing."""

from __future__ import annotations

import base64
import logging
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, request
from sqlalchemy.exc import InterfaceError, OperationalError
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from complaints.core.identity import WrongKeyError
from complaints.core.messages import t
from complaints.intake.calls import record_voicemail
from complaints.intake.sms import accept_inbound
from complaints.intake.spool import RECORDING, SMS, inbound_of
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.security import csrf, security_event

bp = Blueprint("telephony", __name__, url_prefix="/twilio")
csrf.exempt(bp)  # Twilio signs its requests instead


TWILIO_BODY_MAX = 64 * 1024


@bp.before_request
def require_twilio_signature() -> None:
    # Twilio's webhooks are a few kilobytes: nothing bigger is parsed before its signature is checked.
    request.max_content_length = TWILIO_BODY_MAX
    settings = components().settings
    if not settings.twilio_auth_token:
        security_event("twilio webhook refused: no auth token configured", path=request.path)
        abort(403)
    # Twilio signs the address it was given, which is the public one, not the one behind the proxy.
    url = settings.public_base_url + request.full_path.removesuffix("?")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not RequestValidator(settings.twilio_auth_token).validate(url, request.form.to_dict(),
                                                                 signature):
        security_event("twilio signature refused", path=request.path)
        abort(403)


CALLER_IN_URL = "voice-caller-in-url"  # the vault's purpose for the caller's number in a URL


@bp.route("/sms", methods=["POST"])
def inbound_sms() -> Response:
    if not request.form.get("MessageSid"):
        abort(400)
    # Kept and committed, then acted on by the outbox worker, whose reply goes by SMS.
    return _sms_reply(accept_inbound(db_session(), components().vault, inbound_of(request.form)))


def _sms_reply(text: str | None) -> Response:
    twiml = MessagingResponse()
    if text:
        twiml.message(text)
    return Response(str(twiml), mimetype="application/xml")


@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
def database_unreachable(_error: Exception) -> Response | tuple[str, int]:
    """Twilio does not retry: what it sends while the database is down waits in the spool,
    and is filed when it is back (the outbox worker drains it), with the reply by SMS."""
    discard_changes()
    kind = {"telephony.inbound_sms": SMS, "telephony.hotline_recording": RECORDING}.get(
        request.endpoint or "")
    if kind is None:
        raise _error
    fields = request.form.to_dict()
    if kind == RECORDING:
        fields.setdefault("From", _caller())
    components().spool.keep(components().tools, kind, fields)
    security_event("webhook kept in the spool: database unreachable", level=logging.WARNING,
                   path=request.path)
    return _sms_reply(t("sms_in.spooled")) if kind == SMS else ("", 204)


@bp.route("/voice", methods=["POST"])
def hotline_voice() -> Response:
    """Out of hours: a short greeting in Mandarin, then record a message."""
    public = components().settings.public_base_url
    # Twilio's recording callback does not say who called: carry it in the (signed) URL,
    # sealed, since URLs are written to access logs.
    sealed = components().vault.seal(request.form.get("From", "")[:32], CALLER_IN_URL)
    caller = urlencode({"caller": base64.urlsafe_b64encode(sealed).decode("ascii")})
    twiml = VoiceResponse()
    twiml.say(t("voice.greeting"), language="zh-CN")
    # Without an action Twilio would request this URL again after recording: greet, record, loop.
    twiml.record(max_length=180, play_beep=True, timeout=8, action=f"{public}/twilio/voice/done",
                 method="POST",
                 recording_status_callback=f"{public}/twilio/recording?{caller}",
                 recording_status_callback_method="POST")
    return Response(str(twiml), mimetype="application/xml")


@bp.route("/voice/done", methods=["POST"])
def hotline_voice_done() -> Response:
    twiml = VoiceResponse()
    twiml.say(t("voice.thanks"), language="zh-CN")
    twiml.hangup()
    return Response(str(twiml), mimetype="application/xml")


@bp.route("/recording", methods=["POST"])
def hotline_recording() -> tuple[str, int]:
    form = request.form
    if not form.get("RecordingSid") or form.get("RecordingStatus", "completed") != "completed":
        return "", 204
    duration = form.get("RecordingDuration", "")
    record_voicemail(db_session(), components().vault, recording_sid=form["RecordingSid"],
                     caller=_caller() or form.get("From", ""),
                     recording_url=form.get("RecordingUrl", ""),
                     duration=int(duration) if duration.isdigit() else None)
    return "", 204


def _caller() -> str:
    """The caller's number sealed into the recording callback's URL by ``hotline_voice``."""
    sealed = request.args.get("caller", "")
    if not sealed:  # a call answered before the number was sealed carried it plain
        return request.args.get("From", "")
    try:
        return components().vault.open(base64.urlsafe_b64decode(sealed.encode("ascii")), CALLER_IN_URL)
    except (ValueError, WrongKeyError):  # not ours (the signature would have refused a change)
        return ""
