"""Login lockout: repeated failures lock an account for a while; every attempt is logged."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.utils import timezone

from .models import LoginEvent

security_log = logging.getLogger("chengguan.security")


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        now = timezone.now()
        user = User.objects.filter(username=username).first()
        ip = client_ip(request)
        if user is not None and user.is_locked(now):
            LoginEvent.objects.create(
                username=username, user=user, outcome=LoginEvent.Outcome.LOCKED, ip=ip, at=now
            )
            security_log.warning("login refused, account locked: %s from %s", username, ip)
            if request is not None:
                request.login_locked_until = user.locked_until
            return None
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if authenticated is None:
            self._record_failure(username, user, ip, now, request)
            return None
        if authenticated.failed_login_count or authenticated.locked_until:
            User.objects.filter(pk=authenticated.pk).update(failed_login_count=0, locked_until=None)
        LoginEvent.objects.create(
            username=username, user=authenticated, outcome=LoginEvent.Outcome.SUCCESS, ip=ip, at=now
        )
        return authenticated

    def _record_failure(self, username, user, ip, now, request):
        LoginEvent.objects.create(
            username=username, user=user, outcome=LoginEvent.Outcome.FAILURE, ip=ip, at=now
        )
        security_log.info("login failed: %s from %s", username, ip)
        if user is None:
            return
        User = type(user)
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        user.refresh_from_db(fields=["failed_login_count"])
        if user.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
            until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_login_count=0)
            security_log.warning("account locked until %s after repeated failures: %s", until, username)
            if request is not None:
                request.login_locked_until = until
