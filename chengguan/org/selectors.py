"""Reads about people."""

from datetime import date

from .models import OfficerCertificate, User


def valid_certificate(user: User, day: date) -> OfficerCertificate | None:
    """The enforcement certificate that makes `user` an enforcing officer on `day`, if any.

    A certificate counts when the qualification exam is passed, it is not revoked and `day` is within its
    validity: an expired certificate blocks enforcement acts at once.
    """
    for cert in OfficerCertificate.objects.filter(user=user, revoked_at__isnull=True, valid_from__lte=day,
                                                  valid_to__gte=day, exam_passed_on__isnull=False):
        return cert
    return None
