"""The supervisor scheme gains a workload term (有效上报数 per month through a ladder).

Installs whose supervisor scheme is still the shipped 40/20/20/20 get the new shipped terms; a scheme an
administrator edited is left alone (the ladder is added so that they can use it)."""

from django.db import migrations

OLD = [
    ("valid_rate", 40, "rate"),
    ("missed_rate", 20, "inverted"),
    ("verify_on_time_rate", 20, "rate"),
    ("check_on_time_rate", 20, "rate"),
]


def forwards(apps, schema_editor):
    from chengguan.evaluation.defaults import LADDERS, SCHEMES, load

    load(apps)  # creates the new ladder (idempotent)
    Ladder = apps.get_model("evaluation", "Ladder")
    Scheme = apps.get_model("evaluation", "Scheme")
    SchemeTerm = apps.get_model("evaluation", "SchemeTerm")
    scheme = Scheme.objects.filter(party="supervisor").first()
    if scheme is None:
        return
    current = [
        (t.indicator, int(t.weight), t.scoring)
        for t in SchemeTerm.objects.filter(scheme=scheme).order_by("position", "pk")
    ]
    if current != OLD:
        return
    ladders = {lad.key: lad for lad in Ladder.objects.filter(key__in=list(LADDERS))}
    SchemeTerm.objects.filter(scheme=scheme).delete()
    SchemeTerm.objects.bulk_create(
        [
            SchemeTerm(
                scheme=scheme,
                indicator=indicator,
                weight=weight,
                scoring=scoring,
                ladder=ladders[ladder] if ladder else None,
                position=i,
            )
            for i, (indicator, weight, scoring, ladder) in enumerate(SCHEMES["supervisor"][1])
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_fact_indexes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
