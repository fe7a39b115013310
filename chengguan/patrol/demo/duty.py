"""Demo city, patrol part: joint squads, rosters, patrol tracks and swap/leave requests."""

from datetime import datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from chengguan.org.models import Role, User

from ..models import (
    Body,
    LeaveRequest,
    StaffProfile,
    SwapRequest,
    TrackPoint,
)
from ..services import duty, squads
from ._common import SQUAD_DISTRICTS


def _squads(districts, grids, people, today, leader, patterns):
    """Four Haikou-style squads per district rotating over three shifts (one rests each day)."""
    template = squads.template_save(
        actor=leader,
        code="HK-1224",
        name="公安+城管联合巡逻分队（1:2:2:4）",
        requirements={"police": 1, "auxiliary_police": 2, "officer": 2, "assistant": 4},
        description="每个分队按1名警察、2名辅警、2名城管、4名协管的比例组成（海口）。",
    )
    shift_leader = User.objects.filter(username=Role.SHIFT_LEADER.value).first() or leader
    start = today - timedelta(days=today.weekday())
    created = []
    for adcode in SQUAD_DISTRICTS:
        district = districts.get(adcode)
        pool = people["by_district"].get(adcode)
        if district is None or not pool:
            continue
        own_grids = [g for g in grids if g.region.path.startswith(district.path)]
        officers = list(pool[Body.OFFICER])
        if adcode == "410202" and "officer" in people:
            officers = [people["officer"], *officers]
        for k in range(4):
            squad = squads.squad_create(
                actor=leader,
                code=f"{adcode}-LH-{k + 1}",
                name=f"{district.name}联合执法{'一二三四'[k]}分队",
                region=district,
                template=template,
                grids=own_grids[k::4][:6],
            )
            members = [
                (pool[Body.POLICE][k], Body.POLICE),
                *[(u, Body.AUXILIARY_POLICE) for u in pool[Body.AUXILIARY_POLICE][2 * k : 2 * k + 2]],
            ]
            members += [(u, Body.OFFICER) for u in officers[2 * k : 2 * k + 2]]
            assistants = pool[Body.ASSISTANT][4 * k : 4 * k + (3 if k == 3 else 4)]  # squad 4 is one short
            members += [(u, Body.ASSISTANT) for u in assistants]
            for user, body in members:
                squads.squad_member_add(
                    actor=leader,
                    squad=squad,
                    user=user,
                    body=body,
                    joined_on=start,
                    is_leader=user == officers[2 * k],
                )
            created.append((squad, officers[2 * k], own_grids[k::4][:1]))
        slots = [patterns["day"], patterns["evening"], patterns["night"], None]
        for offset in range(7):
            day = start + timedelta(days=offset)
            for k, (squad, squad_leader, grid) in enumerate(created[-4:]):
                pattern = slots[(k + offset) % 4]
                if pattern is not None:
                    duty.shift_create(
                        actor=shift_leader,
                        day=day,
                        pattern=pattern,
                        squad=squad,
                        grid=grid[0] if grid else None,
                        leader=squad_leader,
                    )
    return created


def _supervisor_rosters(grids, districts, today, patterns) -> int:
    """Supervisors of 龙亭 patrol 07:00–23:00 in two shifts: the first of each grid early, the second late."""
    from ..models import DutyAssignment, DutyShift

    district = districts.get("410202")
    if district is None:
        return 0
    start = today - timedelta(days=today.weekday())
    shifts, people = [], []
    for grid in [g for g in grids if g.region.path.startswith(district.path)]:
        supervisors = list(grid.supervisors.order_by("username"))
        for offset in range(7):
            day = start + timedelta(days=offset)
            for pattern, user in zip((patterns["day"], patterns["evening"]), supervisors[:2], strict=False):
                starts, ends = duty.shift_times(day, pattern)
                shifts.append(
                    DutyShift(
                        day=day,
                        pattern=pattern,
                        starts_at=starts,
                        ends_at=ends,
                        region=grid.region,
                        grid=grid,
                    )
                )
                people.append(user)
    created = DutyShift.objects.bulk_create(shifts)
    if created and created[0].pk is None:  # backends without RETURNING
        created = list(DutyShift.objects.filter(squad__isnull=True, grid__isnull=False).order_by("pk"))
    DutyAssignment.objects.bulk_create(
        [DutyAssignment(shift=s, user=u, body=Body.SUPERVISOR) for s, u in zip(created, people, strict=True)],
        ignore_conflicts=True,
    )
    return len(created)


def _tracks(grids, districts, today, rng) -> int:
    """Yesterday's and today's (until now) tracks of the 龙亭 supervisors: a walk through their unit grids with a
    point every three minutes and a lunch break; some grids stay unvisited, as in real life."""
    from ..models import DutyAssignment

    district = districts.get("410202")
    if district is None:
        return 0
    now = timezone.now()
    tz = timezone.get_current_timezone()
    rows = []
    for grid in [g for g in grids if g.region.path.startswith(district.path)]:
        units = list(grid.unit_grids.order_by("code").values_list("pk", "geometry"))
        if not units:
            continue
        for day in (today - timedelta(days=1), today):
            for a in DutyAssignment.objects.filter(shift__grid=grid, shift__day=day).select_related(
                "shift", "user"
            ):
                t = a.shift.starts_at + timedelta(minutes=rng.randint(3, 20))
                end = min(a.shift.ends_at - timedelta(minutes=rng.randint(0, 40)), now)
                order = units[:]
                rng.shuffle(order)
                order = order[: max(1, int(len(order) * rng.uniform(0.55, 0.95)))]
                i = 0
                while t < end:
                    if time(11, 40) <= timezone.localtime(t, tz).time() < time(12, 20):
                        t += timedelta(minutes=40)
                        continue
                    pk, geometry = order[(i // 2) % len(order)]
                    ring = geometry["coordinates"][0]
                    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                    rows.append(
                        (
                            a.user_id,
                            f"demo-{a.user_id}-{int(t.timestamp())}",
                            t,
                            round(rng.uniform(min(xs), max(xs)), 7),
                            round(rng.uniform(min(ys), max(ys)), 7),
                            rng.choice([5, 8, 10, 15]),
                            pk,
                        )
                    )
                    t += timedelta(seconds=rng.randint(150, 210))
                    i += 1
    _insert_points(rows)
    return len(rows)


def _insert_points(rows) -> None:
    """Tens of thousands of generated points: one executemany instead of the ORM's per-object work."""
    table = TrackPoint._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"INSERT INTO {table} (user_id, client_id, recorded_at, received_at, lng, lat, accuracy_m, unit_grid_id) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(u, c, adapt(t), adapt(t), x, y, acc, g) for u, c, t, x, y, acc, g in rows])


def _requests(people, today):
    """A pending leave request of the demo assistant and a pending swap, for the shift leader to decide."""
    assistant = people.get("assistant")
    if assistant is not None and not LeaveRequest.objects.filter(user=assistant).exists():
        start = timezone.make_aware(datetime.combine(today + timedelta(days=2), time(0)))
        duty.leave_request_create(
            actor=assistant,
            kind="personal",
            starts_at=start,
            ends_at=start + timedelta(days=1),
            reason="家中有事",
        )
    from ..models import DutyAssignment

    later = (
        DutyAssignment.objects.filter(
            shift__starts_at__gt=timezone.now() + timedelta(hours=12),
            shift__squad__isnull=False,
            body=Body.OFFICER,
        )
        .select_related("shift", "user")
        .order_by("shift__starts_at")
        .first()
    )
    if later is not None and not SwapRequest.objects.exists():
        colleague = (
            StaffProfile.objects.filter(body=Body.OFFICER, region=later.shift.region)
            .exclude(user__duty_assignments__shift__day=later.shift.day)
            .select_related("user")
            .first()
        )
        if colleague is not None:
            duty.swap_request_create(
                actor=later.user, assignment=later, counterpart=colleague.user, reason="孩子学校开家长会"
            )
