"""Sign-in: throttled per address, per account and address, and per account (chengguan.org.throttle); every
attempt is logged. A throttled attempt is refused before its password is checked, with the same answer whether
the account exists or not."""

import ipaddress
import logging

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from . import throttle
from .models import LoginEvent, User

security_log = logging.getLogger("chengguan.security")


def client_ip(request) -> str | None:
    ip = throttle.client_ip(request)
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return None
    return ip


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        now = timezone.now()
        ip = client_ip(request)
        address = ip or "unknown"
        user = User.objects.filter(username=username).first()
        until = throttle.claim(username, address, now)
        if until is None and user is not None and user.is_locked(now):
            until = user.locked_until  # locked by an administrator
        if until is not None:
            LoginEvent.objects.create(username=username[:150], user=user, outcome=LoginEvent.Outcome.LOCKED, ip=ip,
                                      at=now)
            security_log.warning("login refused unchecked (throttled): %s from %s", username, ip)
            if request is not None:
                request.login_locked_until = until
            return None
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if authenticated is None:
            LoginEvent.objects.create(username=username[:150], user=user, outcome=LoginEvent.Outcome.FAILURE, ip=ip,
                                      at=now)
            security_log.info("login failed: %s from %s", username, ip)
            return None
        throttle.succeeded(username, address)
        LoginEvent.objects.create(
            username=username, user=authenticated, outcome=LoginEvent.Outcome.SUCCESS, ip=ip, at=now
        )
        return authenticated
