"""Rollups of the fact tables: a party's measures per member and month (past months) or day (the closed days of the
current month), so a yearly report reads a few thousand stored rows instead of millions of facts
(`chengguan.evaluation.rollups` reads and refreshes them).

`FactChange` is the staleness log: database triggers on the two fact tables (migrations 0006, 0008) append the
day (and its month) of every row any writer inserts, updates or deletes — the live receiver, the sweeper, the bulk
importer, a rebuild, raw SQL, COPY — in the writer's own transaction. A stored month (day) is used only while no
change row names it; the reader that refreshes a month (days) deletes the change rows it has seen before it
recomputes, so a writer that commits later leaves its row behind and the month (day) is recomputed again. See
docs/evaluation.md, *Rollups*.
"""

from django.db import models


class FactChange(models.Model):
    """A fact row of this day (its `reported_on` / `started_on`) was written since the rollups covering the day (its
    month's, or the day's own) were computed."""

    # Not in backups: restoring the facts fires the triggers, which log every restored month again (so the
    # restored rollups are recomputed before they are read; core/backup).
    backup_excluded = True

    month = models.DateField(db_index=True)  # the first day of `day`'s month
    day = models.DateField(db_index=True)

    class Meta:
        verbose_name = "fact change"

    def __str__(self):
        return f"changed {self.day:%Y-%m-%d}"


class RollupMonth(models.Model):
    """The rollups of one variant (party and level) for one month are stored (possibly with no rows)."""

    key = models.CharField(max_length=40)
    month = models.DateField()
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rollup month"
        constraints = [models.UniqueConstraint(fields=["key", "month"], name="rollupmonth_key_month")]
        indexes = [models.Index(fields=["month"], name="rollupmonth_month")]

    def __str__(self):
        return f"{self.key} {self.month:%Y-%m}"


class RollupRow(models.Model):
    """One source's stored measures (raw sums) of one member in one month."""

    key = models.CharField(max_length=40)
    month = models.DateField()
    source = models.PositiveSmallIntegerField()
    member = models.BigIntegerField()
    measures = models.JSONField()

    class Meta:
        verbose_name = "rollup row"
        indexes = [models.Index(fields=["key", "month"], name="rolluprow_key_month"),
                   models.Index(fields=["month"], name="rolluprow_month")]  # fmt: skip

    def __str__(self):
        return f"{self.key} {self.month:%Y-%m} #{self.source} {self.member}"


class RollupDay(models.Model):
    """The rollups of one variant for one closed day of the current month are stored (possibly with no rows)."""

    key = models.CharField(max_length=40)
    day = models.DateField()
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rollup day"
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="rollupday_key_day")]
        indexes = [models.Index(fields=["day"], name="rollupday_day")]

    def __str__(self):
        return f"{self.key} {self.day:%Y-%m-%d}"


class RollupDayRow(models.Model):
    """One source's stored measures (raw sums) of one member in one day."""

    key = models.CharField(max_length=40)
    day = models.DateField()
    source = models.PositiveSmallIntegerField()
    member = models.BigIntegerField()
    measures = models.JSONField()

    class Meta:
        verbose_name = "rollup day row"
        indexes = [models.Index(fields=["key", "day"], name="rollupdayrow_key_day"),
                   models.Index(fields=["day"], name="rollupdayrow_day")]  # fmt: skip

    def __str__(self):
        return f"{self.key} {self.day:%Y-%m-%d} #{self.source} {self.member}"
