"""Notification channels behind one interface: the in-app inbox is always written; channels carry copies.

A channel is a class with `name` and `send(message: Message) -> None`. `CASES_NOTIFICATION_CHANNELS` lists the
dotted paths of the channels in use (default: the logging channel only). Sending happens after the
transaction commits; a failing channel is logged and never breaks a case action.
"""

import json
import logging
import urllib.request
from dataclasses import asdict, dataclass
from functools import cache

from django.utils.module_loading import import_string

from chengguan.core.privacy import mask_phone

from . import conf

log = logging.getLogger("chengguan.cases.notify")


@dataclass(frozen=True)
class Message:
    kind: str
    text: str
    case_number: str = ""
    user_id: int | None = None
    phone: str = ""  # a citizen without an account is reached by phone only


class Channel:
    name = "base"

    def send(self, message: Message) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingChannel(Channel):
    """Writes every message to the `chengguan.cases.notify` log (phones masked). The default."""

    name = "log"

    def send(self, message: Message) -> None:
        to = f"user {message.user_id}" if message.user_id else mask_phone(message.phone)
        log.info("notify %s [%s] %s: %s", to, message.kind, message.case_number, message.text)


class HttpGatewayChannel(Channel):
    """POSTs `{"to", "text", "kind", "case"}` as JSON to a gateway (the city's SMS platform or WeChat relay)."""

    name = "http"
    timeout = 5

    def url(self) -> str:
        raise NotImplementedError

    def recipient(self, message: Message) -> str:
        return message.phone

    def send(self, message: Message) -> None:
        url, to = self.url(), self.recipient(message)
        if not url or not to:
            return
        body = json.dumps(
            {"to": to, "text": message.text, "kind": message.kind, "case": message.case_number}
        ).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
            response.read()


class SmsChannel(HttpGatewayChannel):
    name = "sms"

    def url(self) -> str:
        return conf.sms_gateway_url()


class WeChatChannel(HttpGatewayChannel):
    """The relay maps the phone (or user id) to the citizen's WeChat openid."""

    name = "wechat"

    def url(self) -> str:
        return conf.wechat_gateway_url()

    def recipient(self, message: Message) -> str:
        return message.phone or (str(message.user_id) if message.user_id else "")


@cache
def _load(path: str) -> Channel:
    return import_string(path)()


def channels() -> list[Channel]:
    return [_load(path) for path in conf.notification_channels()]


def deliver(messages: list[Message]) -> None:
    for channel in channels():
        for message in messages:
            try:
                channel.send(message)
            except Exception:  # noqa: BLE001 - a channel outage must not break the case loop
                log.exception("channel %s failed for %s", channel.name, asdict(message))
