"""Case photos, served only to someone who may see the case (its data scope), never from `/media/`.

The page session or an API bearer token (`Authorization: Bearer ...`, as for `/api/v1/`) identifies the
reader. A photo uploaded but not yet attached to a case is visible to its uploader only. Anyone else — an
anonymous visitor, an outsider, a department the case was never dispatched to — gets a 404, so a photo's
existence is not given away. Citizens see their own and the public after-photos through the portal
(`/p/photos/<id>/`, chengguan.public.views.photo), which has its own rule.
"""

from django.http import Http404
from django.views.decorators.http import require_GET

from chengguan.core.media import file_response
from chengguan.org.services import token_authenticate

from ..models import Attachment
from ..selectors import case_for


def _reader(request):
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    scheme, _sep, key = header.partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return token_authenticate(key.strip())
    return None


@require_GET
def case_photo(request, pk):
    user = _reader(request)
    if user is None:
        raise Http404
    attachment = Attachment.objects.filter(pk=pk).only(
        "pk", "case_id", "uploaded_by_id", "file", "content_type"
    )
    attachment = attachment.first()
    if attachment is None:
        raise Http404
    if attachment.case_id is not None:
        case_for(user, attachment.case_id)  # outside the reader's scope: 404
    elif attachment.uploaded_by_id != user.pk:
        raise Http404
    return file_response(attachment.file, content_type=attachment.content_type)
