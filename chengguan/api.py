"""The JSON API at /api/v1/: bearer tokens (or the page session with CSRF), one error shape.

Each app that has an `api.py` with a `router` is mounted at `/api/v1/<API_PREFIX or app label>/`, so apps
never edit this file to add endpoints.
"""

import importlib

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from chengguan import __version__
from chengguan.core.errors import DomainError
from chengguan.org.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """Session auth for pages that call the API with htmx; CSRF is enforced."""


api = NinjaAPI(
    title="Chengguan API",
    version=__version__,
    urls_namespace="api",
    docs_url="/docs",
    auth=[BearerToken(), StaffSession()],
)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "not found", "code": "not_found"}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request,
        {
            "detail": "authentication required: send 'Authorization: Bearer <token>'",
            "code": "unauthenticated",
        },
        status=401,
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for err in exc.errors:
        loc = [
            str(part)
            for part in err.get("loc", [])
            if part not in ("body", "query", "path", "form", "payload")
        ]
        errors.append({"field": ".".join(loc), "message": err.get("msg", "invalid")})
    first = errors[0] if errors else {"field": "", "message": "invalid input"}
    return api.create_response(
        request,
        {
            "detail": f"{first['field']}: {first['message']}" if first["field"] else first["message"],
            "code": "invalid",
            "field": first["field"],
            "errors": errors,
        },
        status=422,
    )


def _mount_app_routers():
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name == f"{app}.api":
                continue
            raise
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "API_PREFIX", "/" + app.rsplit(".", 1)[1]), router)


_mount_app_routers()
__all__ = ["api"]
