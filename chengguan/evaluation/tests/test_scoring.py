"""Composite scores, ladders and grades come from configuration with validated weights (100 %)."""

import pytest
from django.urls import reverse

from chengguan.core.errors import ValidationError
from chengguan.evaluation.models import Grade, Ladder, Scheme, SchemeTerm
from chengguan.evaluation.periods import parse_period
from chengguan.evaluation.scoring import load_config, validate_scheme, validate_terms

MONTH = parse_period("2026-03")


def test_the_shipped_schemes_have_weights_summing_to_100(db):
    for scheme in Scheme.objects.all():
        validate_scheme(scheme)
    region = {
        t.indicator: (float(t.weight), t.scoring) for t in Scheme.objects.get(party="region").terms.all()
    }
    assert region == {
        "public_report_rate": (10, "inverted"),
        "filed": (20, "ladder"),
        "close_rate": (30, "rate"),
        "close_on_time_rate": (40, "rate"),
    }
    supervisor = {t.indicator: t.scoring for t in Scheme.objects.get(party="supervisor").terms.all()}
    assert supervisor["missed_rate"] == "inverted"  # a lower 漏报率 scores higher


def test_ladders_score_counts_100_90_75_60_40_0(db):
    config = load_config()
    accept = next(t for t in config.schemes["operator"] if t.indicator == "decisions").ladder
    assert [accept.score(n, period=MONTH) for n in (2500, 2001, 1500, 600, 400, 150, 100, 0)] == [
        100,
        100,
        90,
        75,
        60,
        40,
        0,
        0,
    ]
    # a year's count is compared per month: 12 × 1500 a year is 1500 a month → 90
    assert accept.score(18000, period=parse_period("2026")) == 90
    region = next(t for t in config.schemes["region"] if t.indicator == "filed").ladder
    # per unit grid and month, lower is better: 0 → 100, ≤2 → 90, ≤4 → 75, ≤6 → 60, ≤8 → 40, more → 0
    assert [region.score(n * 10, period=MONTH, unit_grids=10) for n in (0, 1, 2, 3, 5, 7, 8, 9)] == [
        100,
        90,
        90,
        75,
        60,
        40,
        40,
        0,
    ]


def test_grades_follow_the_bands(db):
    config = load_config()
    assert [config.grade(s) for s in (100, 90, 89.99, 75, 60, 40, 39.9, 0, None)] == [
        "A",
        "A",
        "B",
        "B",
        "C",
        "D",
        "E",
        "E",
        None,
    ]


def test_changed_weights_change_the_composite(db):
    SchemeTerm.objects.filter(scheme__party="shift_leader", indicator="file_accuracy_rate").update(weight=75)
    SchemeTerm.objects.filter(scheme__party="shift_leader", indicator="close_on_time_rate").update(weight=0)
    config = load_config()
    values = {"file_on_time_rate": 100.0, "file_accuracy_rate": 80.0, "close_on_time_rate": 0.0}
    assert config.score("shift_leader", values, period=MONTH) == pytest.approx((25 * 100 + 75 * 80) / 100)


def test_weights_must_add_up_to_100(db):
    ok = [
        {"indicator": "file_on_time_rate", "weight": 50, "scoring": "rate"},
        {"indicator": "close_on_time_rate", "weight": 50, "scoring": "rate"},
    ]
    validate_terms("shift_leader", ok)
    with pytest.raises(ValidationError, match="90"):
        validate_terms("shift_leader", [ok[0], {**ok[1], "weight": 40}])
    with pytest.raises(ValidationError):
        validate_terms("shift_leader", [{"indicator": "valid_rate", "weight": 100, "scoring": "rate"}])
    with pytest.raises(ValidationError):  # a count needs a ladder
        validate_terms("shift_leader", [{"indicator": "filed", "weight": 100, "scoring": "rate"}])


def test_the_admin_refuses_weights_not_adding_up_to_100(login, city):
    client = login(city["admin"])
    scheme = Scheme.objects.get(party="shift_leader")
    terms = list(scheme.terms.all())
    data = {
        "name": scheme.name,
        "terms-TOTAL_FORMS": str(len(terms)),
        "terms-INITIAL_FORMS": str(len(terms)),
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
    }
    for i, t in enumerate(terms):
        data.update(
            {
                f"terms-{i}-id": str(t.pk),
                f"terms-{i}-scheme": str(scheme.pk),
                f"terms-{i}-position": str(t.position),
                f"terms-{i}-indicator": t.indicator,
                f"terms-{i}-weight": "30",
                f"terms-{i}-scoring": t.scoring,
                f"terms-{i}-ladder": "",
            }
        )
    url = reverse("admin:evaluation_scheme_change", args=[scheme.pk])
    response = client.post(url, data)
    assert response.status_code == 200 and "100" in response.content.decode()
    assert {float(t.weight) for t in scheme.terms.all()} == {25, 40, 35}
    data.update({"terms-0-weight": "40", "terms-1-weight": "30", "terms-2-weight": "30"})
    assert client.post(url, data).status_code == 302
    assert sorted(float(t.weight) for t in scheme.terms.all()) == [30, 30, 40]


def test_the_grade_bands_keep_a_floor(login, city):
    client = login(city["admin"])
    e = Grade.objects.get(letter="E")
    response = client.post(
        reverse("admin:evaluation_grade_change", args=[e.pk]), {"letter": "E", "min_score": "10"}
    )
    assert response.status_code == 200
    e.refresh_from_db()
    assert e.min_score == 0
    assert Ladder.objects.count() == 6
