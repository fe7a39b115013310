"""The JSON API at /api/v1/: bearer tokens (or the page session with CSRF), one error shape.

Each app that has an `api.py` with a `router` is mounted at `/api/v1/<API_PREFIX or app label>/`, so apps
never edit this file to add endpoints.

Every 4xx answer — domain errors, ninja's validation and parse errors, unknown URLs (404), methods a path does
not take (405), parameters out of range — is one `Error` body `{"detail", "code", "field"}` (plus `errors` for
validation), and every operation documents these answers in the OpenAPI document (docs/security.md, "Input").
"""

import importlib

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from chengguan import __version__
from chengguan.core.errors import DomainError
from chengguan.org.services import token_authenticate

from .apierrors import ERROR_CODES, ERROR_STATUSES, error_body


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """Session auth for pages that call the API with htmx; CSRF is enforced."""


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    """Every 4xx answer of the API."""

    detail: str
    code: str
    field: str | None = None
    errors: list[FieldError] | None = None


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """`<app module>_<function>`, named after the app's `api` even when its api.py grew into a package
        (chengguan.patrol.api.tracks → chengguan_patrol_api_track_upload), so client ids stay stable."""
        module = operation.view_func.__module__
        head, sep, _ = module.partition(".api.")
        if sep:
            module = head + ".api"
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(self, *args, **kwargs):
        """Add the error answers to every operation: one `Error` schema for all of them."""
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in components["Error"].pop("$defs", {}).items():
            components.setdefault(name, sub)
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(str(status), {"description": description, **ref})
        return schema


api = Api(
    title="Chengguan API",
    version=__version__,
    urls_namespace="api",
    docs_url="/docs",
    auth=[BearerToken(), StaffSession()],
)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    response = api.create_response(request, error_body(exc.message, exc.code, exc.field), status=exc.status)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body("not found", "not_found", None), status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request,
        error_body("authentication required: send 'Authorization: Bearer <token>'", "unauthenticated", None),
        status=401,
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """ninja's own refusals, e.g. 400 "Cannot parse request body" (the body is the field at fault)."""
    status = exc.status_code
    field = "body" if "body" in str(exc) else None
    return api.create_response(request, error_body(str(exc), ERROR_CODES.get(status, "invalid"), field),
                               status=status)


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
    body = error_body(f"{first['field']}: {first['message']}" if first["field"] else first["message"], "invalid",
                      first["field"])
    body["errors"] = errors
    return api.create_response(request, body, status=422)


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
