"""The steps of the case loop that carry a time limit."""

from django.utils.translation import gettext_lazy as _

ACCEPT = "accept"
VERIFY = "verify"
FILE = "file"
DISPATCH = "dispatch"
HANDLE = "handle"
CHECK = "check"
CLOSE = "close"
STEPS = (ACCEPT, VERIFY, FILE, DISPATCH, HANDLE, CHECK, CLOSE)

STEP_CHOICES = [
    (ACCEPT, _("accept")),
    (VERIFY, _("verify")),
    (FILE, _("file")),
    (DISPATCH, _("dispatch")),
    (HANDLE, _("handle")),
    (CHECK, _("check")),
    (CLOSE, _("close")),
]
