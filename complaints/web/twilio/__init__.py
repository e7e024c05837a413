"""Twilio's signed webhooks: inbound SMS, voicemail and call callbacks."""
