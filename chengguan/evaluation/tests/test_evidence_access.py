"""Assessment evidence is served by an access-checked view (the record's scope), never from /media/."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chengguan.evaluation.services import evidence_attach

from .conftest import png
from .test_assessment import record


def test_evidence_goes_only_to_readers_of_the_record(city, login):
    r = record(city, "ZR-02", street=city.street_a)
    evidence = evidence_attach(
        actor=city["leader"], record=r, file=SimpleUploadedFile("现场.png", png(), content_type="image/png")
    )
    url = reverse("evaluation:evidence_file", args=[r.pk, evidence.pk])
    page = login(city["leader"]).get(reverse("evaluation:record", args=[r.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    response = login(city["leader"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert login(city["outsider"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page
    assert Client().get("/media/" + evidence.file.name).status_code == 404
