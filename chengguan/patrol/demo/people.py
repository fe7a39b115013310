"""Demo city, patrol part: the staff files, certificates, staffing norms and the demo logins' own files."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from chengguan.core.management.commands.demo import DEMO_PASSWORD
from chengguan.org.models import Department, OfficerCertificate, Role, RoleAssignment, User

from ..models import (
    Body,
    Norm,
    StaffProfile,
    TrainingRecord,
)
from ..services import staff
from ._common import STAFFING, _name


def _norms(city, districts):
    # Kaifeng: 6 officers per 10,000 residents; at least 1 assistant per officer city-wide, 1.5 in districts.
    Norm.objects.create(region=city, officers_per_10k=6, assistant_ratio_rule=Norm.RatioRule.AT_LEAST)
    for adcode in STAFFING:
        if adcode in districts:
            Norm.objects.create(
                region=districts[adcode],
                officers_per_10k=6,
                assistant_ratio_rule=Norm.RatioRule.AT_LEAST,
                assistants_per_officer=Decimal("1.5"),
            )


def _staff(city, districts, today, rng, leader) -> dict:
    """Staff files for the demo logins and generated officers/assistants/police; certificates; training."""
    departments = {d.code: d for d in Department.objects.filter(code__startswith="KF-")}
    brigades = {"410202": "KF-ZD-LT", "410203": "KF-ZD-SH", "410204": "KF-ZD-GL", "410205": "KF-ZD-YWT"}
    # every demo login has the same password: reuse a stored hash instead of hashing again (~1 s each)
    password = leader.password or make_password(DEMO_PASSWORD)
    users, profiles, plan = [], [], []
    n = 0
    for adcode, (officers, assistants) in STAFFING.items():
        if adcode not in districts:
            continue
        for body, count in ((Body.OFFICER, officers), (Body.ASSISTANT, assistants)):
            for _ in range(count):
                n += 1
                users.append(User(username=f"{body[:3]}{n:04d}", full_name=_name(n + 300), password=password))
                plan.append((adcode, body))
        for body, count in ((Body.POLICE, 4), (Body.AUXILIARY_POLICE, 8)):
            for _ in range(count):
                n += 1
                users.append(User(username=f"psb{n:04d}", full_name=_name(n + 300), password=password))
                plan.append((adcode, body))
    names = [u.username for u in users]
    User.objects.bulk_create(users)
    by_name = {u.username: u for u in User.objects.filter(username__in=names)}
    people = {"by_district": {}, "police": departments.get("KF-PSB")}
    roles, certs, training = [], [], []
    for user, (adcode, body) in zip([by_name[name] for name in names], plan, strict=True):
        district = districts[adcode]
        is_police = body in (Body.POLICE, Body.AUXILIARY_POLICE)
        dept = people["police"] if is_police else departments.get(brigades[adcode])
        profile = StaffProfile(
            user=user,
            body=body,
            region=district,
            department=dept,
            staff_number=user.username.upper(),
            establishment=StaffProfile.Establishment.ADMINISTRATIVE if body == Body.OFFICER else "",
            employment=StaffProfile.Employment.DISPATCHED if body == Body.ASSISTANT else "",
            employer="开封市城市服务人力资源有限公司" if body == Body.ASSISTANT else "",
            hired_on=date(2015 + user.pk % 9, 1 + user.pk % 12, 1),
        )
        profiles.append(profile)
        people["by_district"].setdefault(adcode, {}).setdefault(body, []).append(user)
        if body == Body.OFFICER:
            roles.append(RoleAssignment(user=user, role=Role.OFFICER, region=district, department=dept))
            certs.append(_certificate(user, today, len(certs)))
        elif body == Body.ASSISTANT:
            roles.append(RoleAssignment(user=user, role=Role.ASSISTANT, region=district, department=dept))
            training.append(
                TrainingRecord(
                    user=user,
                    subject="协管员岗前培训（法律法规、文明执法、安全防护）",
                    category=TrainingRecord.Category.PRE_SERVICE,
                    provider="开封市城市管理局",
                    started_on=profile.hired_on,
                    hours=40,
                    result=TrainingRecord.Result.PASSED,
                )
            )
    StaffProfile.objects.bulk_create(profiles)
    RoleAssignment.objects.bulk_create(roles)
    OfficerCertificate.objects.bulk_create([c for c in certs if c is not None])
    TrainingRecord.objects.bulk_create(training)
    _supervisor_profiles(city)
    people.update(_demo_logins(districts, departments, today, leader))
    return people


def _certificate(user, today, i) -> OfficerCertificate | None:
    """Most certificates run for years; a few expire within 30/60/90 days, one has expired, two are missing."""
    if i in (7, 61):
        return None  # newly hired, exam not yet taken
    valid_to = {3: 20, 11: 45, 19: 80, 27: 85, 40: -12}.get(i)
    valid_to = today + timedelta(days=valid_to) if valid_to is not None else date(2028 + i % 3, 12, 31)
    return OfficerCertificate(
        user=user,
        number=f"豫{41020000 + i:08d}",
        issuer="河南省人民政府",
        valid_from=min(valid_to, today) - timedelta(days=365 * 3),
        valid_to=valid_to,
        exam_passed_on=min(valid_to, today) - timedelta(days=365 * 3 + 30),
    )


def _supervisor_profiles(city):
    assignments = RoleAssignment.objects.filter(role=Role.SUPERVISOR, region__isnull=False).select_related(
        "region"
    )
    have = set(StaffProfile.objects.values_list("user_id", flat=True))
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user_id=a.user_id,
                body=Body.SUPERVISOR,
                region=a.region,
                department=a.department,
                staff_number=f"JD{a.user_id:04d}",
            )
            for a in assignments
            if a.user_id not in have and a.region.path.startswith(city.path)
        ],
        ignore_conflicts=True,
    )


def _demo_logins(districts, departments, today, leader) -> dict:
    """The demo logins `officer` and `assistant` get full staff files (certificate, training, five-in-one)."""
    lt = districts.get("410202")
    out = {}
    officer = User.objects.filter(username=Role.OFFICER.value).first()
    assistant = User.objects.filter(username=Role.ASSISTANT.value).first()
    if lt is None or officer is None:
        return out
    brigade = departments.get("KF-ZD-LT")
    staff.staff_profile_save(
        actor=leader,
        user=officer,
        body=Body.OFFICER,
        region=lt,
        department=brigade,
        staff_number="LT0001",
        post="中队长",
        establishment="administrative",
        hired_on=date(2016, 7, 1),
    )
    if not OfficerCertificate.objects.filter(user=officer).exists():
        staff.certificate_issue(
            actor=leader,
            user=officer,
            number="豫A-LT-0001",
            issuer="河南省人民政府",
            valid_from=date(2024, 1, 1),
            valid_to=date(2029, 12, 31),
            exam_passed_on=date(2023, 11, 18),
        )
    staff.training_record_add(
        actor=leader,
        user=officer,
        subject="新《行政处罚法》专题培训",
        category="legal",
        started_on=today - timedelta(days=120),
        hours="16",
        result="passed",
        provider="开封市司法局",
    )
    staff.training_record_add(
        actor=leader,
        user=officer,
        subject="公安科目封闭式培训",
        category="police",
        started_on=today - timedelta(days=300),
        hours="80",
        result="passed",
        provider="河南警察学院",
    )
    for category, days, title, score in (
        ("study", 60, "集中学习《城市管理执法行为规范》", None),
        ("publicity", 40, "城管进社区：门前三包宣传", None),
        ("enforcement", 20, "牵头办理占道经营行政处罚案件3件", None),
        ("case_review", 90, "上半年执法案卷评查", Decimal("92")),
    ):
        staff.file_entry_add(
            actor=leader,
            user=officer,
            category=category,
            occurred_on=today - timedelta(days=days),
            title=title,
            score=score,
        )
    if departments.get("KF-ZD-LT-1") is not None:
        staff.staff_rotate(
            actor=leader,
            profile=officer.staff_profile,
            to_region=lt,
            to_department=departments["KF-ZD-LT-1"],
            to_post="中队长",
            effective_on=today - timedelta(days=200),
            reason="干部交流轮岗",
        )
    out["officer"] = officer
    if assistant is not None:
        staff.staff_profile_save(
            actor=leader,
            user=assistant,
            body=Body.ASSISTANT,
            region=lt,
            department=brigade,
            staff_number="LTXG0001",
            employment="dispatched",
            employer="开封市城市服务人力资源有限公司",
            hired_on=date(2021, 3, 1),
        )
        staff.training_record_add(
            actor=leader,
            user=assistant,
            subject="协管员岗前培训",
            category="pre_service",
            started_on=date(2021, 3, 1),
            hours=40,
            result="passed",
        )
        out["assistant"] = assistant
    return out
