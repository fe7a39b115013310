from django.db import IntegrityError, transaction

from .models import Counter


def next_value(series: str, year: int) -> int:
    """The next number of a series in a year; the counter row is locked, numbers are never reused."""
    with transaction.atomic():
        if not Counter.objects.filter(series=series, year=year).exists():
            try:
                with transaction.atomic():
                    Counter.objects.create(series=series, year=year)
            except IntegrityError:
                pass
        counter = Counter.objects.select_for_update().get(series=series, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last
