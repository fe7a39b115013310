"""March 2026 in the test city: seven cases whose indicator values are worked out by hand in the tests.

Time limits (catalogue defaults): accept / file / dispatch / close 30 working minutes, verify / check 60,
handle 3 working days (暴露垃圾, normal severity, area class B). Working hours 08:00–12:00, 14:00–18:00.

1 clean       supervisor report Tue 3/10 09:00; every step on time; closed Wed 3/11 10:40.
2 rework      accepted late (40 of 30 min); first reply on time, check fails; the rework step's reply is
              late (Wed 3/18 > Tue 3/17 09:30); closed 3/18.
3 citizen     verified by the supervisor; extension of 1 working day approved; hung up on time; still hung.
4 district B  the outsider's report; dispatched to roads, returned, re-dispatched to sanitation; never
              handled, so overdue since Fri 3/13 16:10.
5 void        filed, then voided.
6 hotline     registered by the operator, rejected without verification.
7 self        fixed on the spot by the supervisor, closed.
"""

from .conftest import POINT_B, at


def build_march(story, city) -> dict:
    s = story
    sanitation, roads = city.sanitation.pk, city.roads.pk
    c1 = s.report(at(10, 9, 0))
    c1 = s.walk(
        c1,
        (at(10, 9, 10), "accept", "operator"),
        (at(10, 9, 20), "file", "shift_leader"),
        (at(10, 9, 30), "dispatch", "dispatcher", {"department_id": sanitation}),
        (at(11, 10, 0), "reply", "department_handler", {"reason": "已清理"}),
        (at(11, 10, 30), "check_pass", "supervisor"),
        (at(11, 10, 40), "close", "shift_leader"),
    )
    c2 = s.report(at(10, 10, 0))
    c2 = s.walk(
        c2,
        (at(10, 10, 40), "accept", "operator"),
        (at(10, 10, 50), "file", "shift_leader"),
        (at(10, 11, 0), "dispatch", "dispatcher", {"department_id": sanitation}),
        (at(12, 9, 0), "reply", "department_handler", {"reason": "已清理"}),
        (at(12, 9, 30), "check_fail", "supervisor", {"reason": "仍有残留"}),
        (at(18, 9, 0), "reply", "department_handler", {"reason": "已彻底清理"}),
        (at(18, 9, 20), "check_pass", "supervisor"),
        (at(18, 9, 40), "close", "shift_leader"),
    )
    c3 = s.report(at(10, 11, 0), by=None, source="citizen", reporter_phone="13800000000")
    c3 = s.walk(
        c3,
        (at(10, 11, 10), "request_verification", "operator"),
        (at(10, 11, 40), "verify", "supervisor", {"confirmed": True}),
        (at(10, 14, 0), "accept", "operator"),
        (at(10, 14, 5), "file", "shift_leader"),
        (at(10, 14, 10), "dispatch", "dispatcher", {"department_id": sanitation}),
        (
            at(12, 10, 0),
            "request_extension",
            "department_handler",
            {"amount": 1, "unit": "working_days", "reason": "需调运设备"},
        ),
        (at(12, 10, 30), "approve_extension", "dispatcher"),
        (at(16, 9, 0), "request_hang_up", "department_handler", {"reason": "需专项资金"}),
        (at(16, 10, 0), "hang_up", "dispatcher"),
    )
    c4 = s.report(at(10, 15, 0), by="outsider", point=POINT_B, address="清平街 3 号")
    c4 = s.walk(
        c4,
        (at(10, 15, 5), "accept", "operator"),
        (at(10, 15, 10), "file", "shift_leader"),
        (at(10, 15, 20), "dispatch", "dispatcher", {"department_id": roads}),
        (at(10, 16, 0), "return", "roads_handler", {"reason": "非本部门职责"}),
        (at(10, 16, 10), "dispatch", "dispatcher", {"department_id": sanitation}),
    )
    c5 = s.report(at(11, 9, 0))
    c5 = s.walk(
        c5,
        (at(11, 9, 5), "accept", "operator"),
        (at(11, 9, 10), "file", "shift_leader"),
        (at(11, 9, 20), "void", "shift_leader", {"reason": "重复立案"}),
    )
    c6 = s.report(at(11, 10, 0), by="operator", source="hotline", reporter_phone="13900000000")
    c6 = s.act(c6, at(11, 10, 10), "reject", "operator", reason="不属于城管范围")
    c7 = s.report(at(11, 11, 0))
    c7 = s.walk(
        c7,
        (at(11, 11, 5), "self_handle", "supervisor", {"reason": "已现场清理", "photos": "photo"}),
        (at(11, 11, 20), "close", "shift_leader"),
    )
    s.clock.move_to(at(26, 9, 0))
    return {"clean": c1, "rework": c2, "citizen": c3, "district_b": c4, "void": c5, "hotline": c6, "self": c7}
