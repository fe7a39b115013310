"""The key's rate limit on Open311 POST requests: every request with a valid key counts once (a submission with its
INSERT, a refused one after its refusal); a request over the limit writes nothing, and a window the process saw
full is refused at once, without the database."""

from chengguan.cases.models import Case, CaseCounter
from chengguan.public.models import Open311Submission, RateCounter
from chengguan.public.services.ratelimit import forget_full

from .test_open311 import fms_post


def written():
    return (
        Case.objects.count(),
        Open311Submission.objects.count(),
        list(CaseCounter.objects.values_list("last", flat=True)),
        list(RateCounter.objects.values_list("count", flat=True)),
    )


def test_a_refused_post_counts_against_its_key_and_over_the_limit_it_is_told_429_first(
    client, grids, frozen, open311_key, settings
):
    settings.PUBLIC_RATE_LIMITS = {"open311_key": (3, 3600)}
    missing = fms_post(client, open311_key, fmt="json", service_code=None)
    assert missing.status_code == 400 and missing.json()[0]["code"] == "service_code_missing"
    assert fms_post(client, open311_key, fmt="json", lat="91").status_code == 400
    assert fms_post(client, open311_key, fmt="json").status_code == 200
    assert list(RateCounter.objects.values_list("count", flat=True)) == [3]
    forget_full()  # as in another process, which has not seen the window full
    refused = fms_post(client, open311_key, fmt="json", service_code=None)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_a_post_over_the_limit_writes_nothing_and_the_next_is_refused_without_a_query(
    client, grids, frozen, open311_key, settings, django_assert_num_queries
):
    settings.PUBLIC_RATE_LIMITS = {"open311_key": (1, 3600)}
    assert fms_post(client, open311_key, fmt="json").status_code == 200
    before = written()
    refused = fms_post(
        client, open311_key, fmt="json"
    )  # its case and submission were written, then rolled back
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert written() == before and before[3] == [1]
    with django_assert_num_queries(0):  # the window is remembered as full in this process
        again = fms_post(client, open311_key, fmt="json")
    assert again.status_code == 429 and again["Retry-After"] == refused["Retry-After"]
    forget_full()  # another process: counts, finds the window full, writes nothing
    assert (
        fms_post(client, open311_key, fmt="json", lat=None, long=None, address_string="西门大街").status_code
        == 429
    )
    assert written() == before
