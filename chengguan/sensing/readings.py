"""Sensor readings: validate a batch, store it (PostgreSQL: COPY into a staging table, then one INSERT … ON
CONFLICT into the monthly partition; SQLite: INSERT OR IGNORE), mark the hours for the rollup, and run each
sensor's threshold machine (debounce + hysteresis) over its new readings. A reading no newer than the sensor's
last one (a replay) is stored at most once and never moves the machine again."""

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError

from . import casework, rollups
from .models import Alarm, Sensor, SensorType

UTC = UTC
MAX_BATCH = 100_000
MAX_AGE = timedelta(days=7)
MAX_AHEAD = timedelta(minutes=5)
_partitions: set[tuple[int, int]] = set()


_first = itemgetter(0)


@dataclass
class Outcome:
    stored: int = 0
    raised: list = field(default_factory=list)
    cleared: list = field(default_factory=list)
    cases: list = field(default_factory=list)


def _time(value, f: str, lo: datetime, hi: datetime, sqlite: bool) -> tuple[datetime, str]:
    """The reading's time and its text for the database (PostgreSQL: ISO with offset; SQLite: naive UTC)."""
    at = None
    if type(value) in (int, float) and math.isfinite(value):
        try:
            at = datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, ValueError, OSError):
            at = None
    elif type(value) is str:
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            at = None
        if at is not None and at.tzinfo is None:
            raise ValidationError(_("The time needs its UTC offset."), field=f)
    if at is None:
        raise ValidationError(_("Give the time as ISO 8601 with its offset, or epoch seconds."), field=f)
    if not lo <= at <= hi:
        raise ValidationError(_("The time is out of range (at most 7 days old)."), field=f)
    return at, (str(at.astimezone(UTC).replace(tzinfo=None)) if sqlite else at.isoformat())


@dataclass
class Batch:
    """A parsed batch as columns (one list per field, no object per row): sensor pk, time, value, battery, and the
    time as text for the database."""

    pks: list
    ats: list
    values: list
    batteries: list
    texts: list

    def __len__(self):
        return len(self.pks)


def parse(rows, sensors: dict, now: datetime, prefix: str = "readings") -> Batch:
    """The batch as columns. Set-wise first: each column is pulled out with one comprehension, the values checked
    with one pass, each distinct time (fleets report on the same ticks) and battery parsed once. Only if something
    is wrong does the row-by-row pass (`_parse_rows`) run, to name the first bad row's field."""
    if type(rows) is not list or not 0 < len(rows) <= MAX_BATCH:
        raise ValidationError(_("Send 1–100,000 readings."), field=prefix)
    lo, hi = now - MAX_AGE, now + MAX_AHEAD
    sqlite = connection.vendor != "postgresql"
    pk_of = {d: s.pk for d, s in sensors.items()}
    try:
        pks = [pk_of[r["device_id"]] for r in rows]
        values = [r["value"] for r in rows]
        raws = [r["at"] for r in rows]
        batteries = [r.get("battery") for r in rows]
        if not all([type(v) is float or type(v) is int for v in values]) or not math.isfinite(math.fsum(values)):
            raise TypeError
        for b in set(batteries):
            if b is not None and (type(b) not in (int, float) or not 0 <= b <= 100):
                raise TypeError
        times = {raw: _time(raw, "", lo, hi, sqlite) for raw in set(raws)}
        if any(type(raw) not in (str, int, float) or type(raw) is bool for raw in times):
            raise TypeError
    except (TypeError, KeyError, AttributeError, ValidationError, OverflowError):
        return _parse_rows(rows, sensors, lo, hi, sqlite, prefix)
    return Batch(
        pks=pks, values=[float(v) for v in values], batteries=batteries,
        ats=[times[raw][0] for raw in raws], texts=[times[raw][1] for raw in raws],
    )


def _parse_rows(rows, sensors, lo, hi, sqlite, prefix) -> Batch:
    """Row by row: the first bad row raises naming its field (also the fallback when the set-wise pass balks at
    something it cannot place, e.g. a sum of finite values overflowing)."""
    out = Batch([], [], [], [], [])
    times: dict = {}
    isfinite = math.isfinite
    for i, r in enumerate(rows):
        if type(r) is not dict:
            raise ValidationError(_("Each reading is an object."), field=f"{prefix}[{i}]")
        sensor = sensors.get(r.get("device_id")) if type(r.get("device_id")) is str else None
        if sensor is None:
            raise ValidationError(_("Unknown sensor (or not this vendor's)."), field=f"{prefix}[{i}].device_id")
        value = r.get("value")
        if type(value) not in (int, float) or not isfinite(value):
            raise ValidationError(_("The value is a finite number."), field=f"{prefix}[{i}].value")
        battery = r.get("battery")
        if battery is not None and (type(battery) not in (int, float) or not 0 <= battery <= 100):
            raise ValidationError(_("The battery is a percentage 0–100."), field=f"{prefix}[{i}].battery")
        raw = r.get("at")
        key = (type(raw), raw) if type(raw) in (str, int, float) else None
        parsed = times.get(key) if key is not None else None
        if parsed is None:
            parsed = _time(raw, f"{prefix}[{i}].at", lo, hi, sqlite)
            if key is not None:
                times[key] = parsed
        out.pks.append(sensor.pk)
        out.ats.append(parsed[0])
        out.values.append(float(value))
        out.batteries.append(battery)
        out.texts.append(parsed[1])
    return out


def sensors_for(rows, vendor=None) -> dict:
    """The batch's active sensors by device id; a vendor (HTTP) sees only its own sensors, so another vendor's
    device id is as unknown as a made-up one."""
    ids = {r.get("device_id") for r in rows if type(r) is dict and type(r.get("device_id")) is str}
    qs = Sensor.objects.filter(device_id__in=ids, is_active=True)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    sensors = list(qs)
    types = {t.pk: t for t in SensorType.objects.filter(pk__in={s.type_id for s in sensors})}
    for s in sensors:
        s.type = types[s.type_id]
    return {s.device_id: s for s in sensors}


def _ensure_partitions(moments) -> None:
    months = {(at.astimezone(UTC).year, at.astimezone(UTC).month) for at in moments} - _partitions
    with connection.cursor() as cur:
        for y, m in sorted(months):
            ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS sensing_reading_y{y}m{m:02d} PARTITION OF sensing_reading "
                f"FOR VALUES FROM ('{y}-{m:02d}-01 00:00+00') TO ('{ny}-{nm:02d}-01 00:00+00')"
            )
            _partitions.add((y, m))


def _copy_pg(batch: Batch) -> bool:
    """COPY straight into the partitioned table (True: every row was new); a batch holding a reading stored
    before (a replay) goes through a staging table and INSERT … ON CONFLICT DO NOTHING instead (False)."""
    from psycopg.errors import UniqueViolation

    data = "".join([f"{pk}\t{text}\t{v!r}\n" for pk, text, v in zip(batch.pks, batch.texts, batch.values, strict=True)])
    with connection.cursor() as cur:
        try:
            with transaction.atomic(), cur.cursor.copy(
                "COPY sensing_reading (sensor_id, at, value) FROM STDIN"
            ) as copy:
                copy.write(data)
            return True
        except UniqueViolation:
            pass
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS sensing_reading_in "
            "(sensor_id bigint, at timestamptz, value double precision) ON COMMIT DELETE ROWS"
        )
        with cur.cursor.copy("COPY sensing_reading_in (sensor_id, at, value) FROM STDIN") as copy:
            copy.write(data)
        cur.execute("INSERT INTO sensing_reading SELECT * FROM sensing_reading_in ON CONFLICT DO NOTHING")
        cur.execute("DELETE FROM sensing_reading_in")
    return False


def store(batch: Batch) -> None:
    """Store the readings and roll them up: incrementally when every row was new, else (a replay) by marking
    their hours for the job (`rollups`)."""
    if connection.vendor == "postgresql":
        _ensure_partitions(set(batch.ats))
        all_new = _copy_pg(batch)
    else:
        with connection.cursor() as cur:
            cur.executemany("INSERT OR IGNORE INTO sensing_reading (sensor_id, at, value) VALUES (%s, %s, %s)",
                            list(zip(batch.pks, batch.texts, batch.values, strict=True)))
            all_new = cur.rowcount == len(batch)
    if all_new:
        rollups.add(batch.pks, batch.ats, batch.values)
    else:
        rollups.mark(batch.ats)


def _run_machine(sensor: Sensor, series, events: list) -> None:
    """Debounce: `type.debounce` consecutive readings beyond the threshold raise; as many back inside the
    threshold by the hysteresis clear. Anything in between resets the streak."""
    t = sensor.type
    need = max(t.debounce, 1)
    if not sensor.in_alarm:  # set-wise: a sensor none of whose values breaches only resets its streak
        values = [v for _at, v in series]
        if (t.alarm_high is None or max(values) <= t.alarm_high) and (t.alarm_low is None or min(values) >= t.alarm_low):
            sensor.streak = 0
            return
    for at, value in series:
        if not sensor.in_alarm:
            sensor.streak = sensor.streak + 1 if t.breaches(value) else 0
            if sensor.streak >= need:
                sensor.in_alarm, sensor.streak = True, 0
                events.append((at, sensor, Alarm.Event.ALARM, value))
        else:
            sensor.streak = sensor.streak + 1 if t.clears(value) else 0
            if sensor.streak >= need:
                sensor.in_alarm, sensor.streak = False, 0
                events.append((at, sensor, Alarm.Event.CLEAR, value))


def _raise(sensor: Sensor, at, value, now, out: Outcome) -> None:
    matter = sensor.type.matter
    alarm = Alarm.objects.create(
        kind=Alarm.Kind.THRESHOLD, status=Alarm.Status.RAISED, sensor=sensor, matter=matter,
        community_id=sensor.community_id, value=value, occurred_at=at, received_at=now,
    )
    out.raised.append(alarm)
    if matter is None or not sensor.type.opens_case:
        return
    check = casework.waiting_check(sensor=sensor, matter=matter, at=at)
    if check is not None:
        casework.settle_check(check=check, alarm=alarm, passed=False, at=now)
        return
    case = casework.open_case_for(sensor=sensor, matter=matter, since=at - timedelta(days=30))
    if case is not None:
        alarm.case = case
        alarm.save(update_fields=["case"])
        return
    out.cases.append(casework.file_case(alarm=alarm, at=now))


def _clear(sensor: Sensor, at, value, now, out: Outcome) -> None:
    Alarm.objects.filter(sensor=sensor, kind=Alarm.Kind.THRESHOLD, status=Alarm.Status.RAISED).update(
        status=Alarm.Status.CLEARED
    )
    alarm = Alarm.objects.create(
        kind=Alarm.Kind.THRESHOLD, event=Alarm.Event.CLEAR, status=Alarm.Status.CLEARED, sensor=sensor,
        matter=sensor.type.matter, community_id=sensor.community_id, value=value, occurred_at=at, received_at=now,
    )
    out.cleared.append(alarm)


def _settle_quiet_sensors(sensors, now) -> None:
    """A sensor back to normal with a case being checked: its first normal reading after the reply passes."""
    from .models import AutoCheck

    waiting_ids = set(
        AutoCheck.objects.filter(status=AutoCheck.Status.WAITING, sensor__isnull=False).values_list(
            "sensor_id", flat=True
        )
    )
    quiet = {s.pk: s for s in sensors if s.pk in waiting_ids and not s.in_alarm}
    if not quiet:
        return
    waiting = AutoCheck.objects.filter(
        status=AutoCheck.Status.WAITING, sensor_id__in=list(quiet), due_at__gte=now
    )
    for check in waiting:
        sensor = quiet[check.sensor_id]
        if sensor.last_seen_at and sensor.last_seen_at >= check.opened_at:
            evidence = Alarm.objects.filter(sensor=sensor, event=Alarm.Event.CLEAR).order_by("-occurred_at").first()
            casework.settle_check(check=check, alarm=evidence, passed=True, at=now)


def _save_state(sensors) -> None:
    """The sensors' new state in one statement per row, executed as a batch (Django's bulk_update builds one
    CASE per field and row, which costs more than the whole batch of readings)."""
    if not sensors:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE sensing_sensor AS s SET last_seen_at = v.seen, last_value = v.val, battery = v.bat, "
                "is_online = v.online, in_alarm = v.alarm, streak = v.streak FROM unnest(%s::bigint[], "
                "%s::timestamptz[], %s::float8[], %s::smallint[], %s::bool[], %s::bool[], %s::smallint[]) "
                "AS v(id, seen, val, bat, online, alarm, streak) WHERE s.id = v.id",
                [[s.pk for s in sensors], [s.last_seen_at for s in sensors], [s.last_value for s in sensors],
                 [s.battery for s in sensors], [s.is_online for s in sensors], [s.in_alarm for s in sensors],
                 [s.streak for s in sensors]],
            )
        return
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        (adapt(s.last_seen_at), s.last_value, s.battery, s.is_online, s.in_alarm, s.streak, s.pk) for s in sensors
    ]
    with connection.cursor() as cur:
        cur.executemany(
            "UPDATE sensing_sensor SET last_seen_at = %s, last_value = %s, battery = %s, is_online = %s, "
            "in_alarm = %s, streak = %s WHERE id = %s",
            params,
        )


def readings_ingest(*, rows, now: datetime | None = None, prefix: str = "readings", vendor=None) -> Outcome:
    """`vendor`: the authenticated vendor of an HTTP batch (it may write only its own sensors); None for the
    MQTT listener, whose broker decides who may publish."""
    now = now or timezone.now()
    sensors = sensors_for(rows if type(rows) is list else [], vendor)
    batch = parse(rows, sensors, now, prefix)
    out = Outcome(stored=len(batch))
    series: dict[int, list] = {}
    for pk, at, v, b in zip(batch.pks, batch.ats, batch.values, batch.batteries, strict=True):
        got = series.get(pk)
        if got is None:
            series[pk] = [(at, v, b)]
        else:
            got.append((at, v, b))
    touched, events, woke = [], [], []
    by_pk = {s.pk: s for s in sensors.values()}
    with transaction.atomic():
        store(batch)
        for pk, points in series.items():
            sensor = by_pk[pk]
            seen = sensor.last_seen_at
            fresh = points if seen is None or min(p[0] for p in points) > seen else [p for p in points if p[0] > seen]
            if not fresh:
                continue
            fresh.sort(key=_first)
            _run_machine(sensor, [(at, v) for at, v, _b in fresh], events)
            last = fresh[-1]
            sensor.last_seen_at, sensor.last_value = last[0], last[1]
            battery = next((b for _a, _v, b in reversed(fresh) if b is not None), None)
            if battery is not None:
                sensor.battery = int(battery)
            if not sensor.is_online:
                woke.append(sensor)
            sensor.is_online = True
            touched.append(sensor)
        _save_state(touched)
        if woke:
            Alarm.objects.filter(sensor__in=woke, kind=Alarm.Kind.OFFLINE, status=Alarm.Status.RAISED).update(
                status=Alarm.Status.CLEARED
            )
        for at, sensor, event, value in sorted(events, key=lambda e: e[0]):
            (_raise if event == Alarm.Event.ALARM else _clear)(sensor, at, value, now, out)
        if touched:
            _settle_quiet_sensors(touched, now)
    return out

