"""Twilio's side of the service: signed webhooks for SMS (and, later, the hotline's voicemail),
and the sender that delivers the outbox's SMS through Twilio's REST API."""
