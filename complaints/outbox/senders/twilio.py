"""The outbox's Twilio sender: SMS through Twilio's Messages API with the twilio client."""

from __future__ import annotations

from typing import Any

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

from complaints.core.vocabulary import MessageChannel
from complaints.outbox.senders import Delivered, NotSent, Outgoing, PermanentFailure, TemporaryFailure

TWILIO_API = "https://api.twilio.com"
TIMEOUT_SECONDS = 10.0


class _RedirectedHttpClient(TwilioHttpClient):
    """Sends the client's requests to a local server that speaks Twilio's API (tests only)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self._base_url = base_url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        if url.startswith(TWILIO_API):
            url = self._base_url + url[len(TWILIO_API):]
        return super().request(method, url, *args, **kwargs)


class TwilioSender:
    def __init__(self, account_sid: str, auth_token: str, from_number: str,
                 api_base_url: str | None = None, timeout: float = TIMEOUT_SECONDS) -> None:
        http = (_RedirectedHttpClient(api_base_url, timeout) if api_base_url
                else TwilioHttpClient(timeout=timeout))
        self._client = Client(account_sid, auth_token, http_client=http)
        self._from = from_number

    def send(self, message: Outgoing) -> Delivered | NotSent:
        if message.channel is not MessageChannel.SMS:
            return NotSent("not sent: e-mail has no provider configured")
        try:
            sent = self._client.messages.create(to=message.recipient, from_=self._from,
                                                body=message.body)
        except TwilioRestException as error:
            if error.status >= 500 or error.status == 429:
                raise TemporaryFailure(f"Twilio {error.status} (error {error.code})") from None
            # A bad number or a refused message: retrying will not help.
            raise PermanentFailure(f"Twilio {error.status} error {error.code}: {error.msg}") from None
        except requests.RequestException as error:
            raise TemporaryFailure(f"network: {type(error).__name__}") from None
        return Delivered(provider_message_id=sent.sid)
