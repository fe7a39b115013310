"""Uploaded files (case photos, enforcement evidence, documents) leave the server only through views that have
checked who asks. `MEDIA_URL` is not mapped to `MEDIA_ROOT`: a file's storage name is never a way in.

`file_response` sends a stored file after such a check, streaming it from Django (`FileResponse`) or, when
`CHENGGUAN_MEDIA_SERVING` says so, handing the transfer to the web server (nginx `X-Accel-Redirect` to an
`internal` location, or `X-Sendfile`). See docs/operations.md.
"""

from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect

try:  # object storage (CHENGGUAN_MEDIA_STORAGE=s3): a missing object is a ClientError
    from botocore.exceptions import BotoCoreError, ClientError

    STORAGE_ERRORS: tuple = (FileNotFoundError, ValueError, OSError, ClientError, BotoCoreError)
except ImportError:  # pragma: no cover
    STORAGE_ERRORS = (FileNotFoundError, ValueError, OSError)


def file_response(
    fieldfile, *, content_type: str = "", filename: str = "", as_attachment: bool = False
) -> HttpResponse:
    """The file behind `fieldfile` (a FileField value), or 404 when it is missing."""
    if not fieldfile or not fieldfile.name or not _safe(fieldfile.name):
        raise Http404
    filename = filename or PurePosixPath(fieldfile.name).name
    mode = getattr(settings, "MEDIA_SERVING", "django")
    if mode == "django":
        try:
            handle = fieldfile.open("rb")
        except STORAGE_ERRORS:
            raise Http404 from None
        response = FileResponse(
            handle, content_type=content_type or None, as_attachment=as_attachment, filename=filename
        )
    elif mode == "signed-url":
        # object storage: after the check, a redirect to a URL signed for CHENGGUAN_MEDIA_URL_SECONDS
        disposition = "attachment" if as_attachment else "inline"
        params = {"ResponseContentDisposition": f"{disposition}; filename*=UTF-8''{quote(filename)}"}
        if content_type:
            params["ResponseContentType"] = content_type
        response = HttpResponseRedirect(fieldfile.storage.url(fieldfile.name, parameters=params))
        response["Cache-Control"] = "private, no-store"
        return response
    else:
        if not fieldfile.storage.exists(fieldfile.name):
            raise Http404
        response = HttpResponse(content_type=content_type or "application/octet-stream")
        if mode == "x-accel-redirect":
            response["X-Accel-Redirect"] = (
                settings.MEDIA_ACCEL_PREFIX.rstrip("/") + "/" + quote(fieldfile.name)
            )
        else:
            response["X-Sendfile"] = fieldfile.path
        disposition = "attachment" if as_attachment else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts
