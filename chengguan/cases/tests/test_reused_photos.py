"""A photo whose bytes were uploaded before (same SHA-256), on this case or another, is flagged on the case page
the checker and the shift leader work from."""

from ..evidence import attachment_create
from ..testing import Upload, png_bytes
from ..workflow import State


def _photo(user, color):
    return attachment_create(actor=user, file=Upload(png_bytes(color=color)), kind="after").pk


def test_a_check_photo_identical_to_the_after_photo_is_flagged(city, walk, login):
    case = walk.to(State.DISPATCHED)
    walk.act(case, "reply", "department_handler", reason="已清理", photos=[_photo(city["department_handler"], (1, 2, 3))])
    case.refresh_from_db()
    page = login(city["supervisor"]).get(f"/m/case/{case.pk}/").content.decode()
    assert "photo-reused" not in page  # one photo, nothing to compare with yet
    walk.act(case, "check_pass", "supervisor", photos=[_photo(city["supervisor"], (1, 2, 3))])
    page = login(city["shift_leader"]).get(f"/cases/{case.pk}/").content.decode()
    assert page.count('class="photo-reused"') == 1 and "本案卷之前的照片" in page


def test_a_photo_reused_from_another_case_names_it_only_to_those_who_see_it(city, walk, login):
    first, second = walk.to(State.DISPATCHED), walk.to(State.DISPATCHED)
    for case in (first, second):
        walk.act(case, "reply", "department_handler", reason="已清理", photos=[_photo(city["department_handler"], (9, 9, 9))])
    page = login(city["shift_leader"]).get(f"/cases/{second.pk}/").content.decode()
    assert "另一案卷" in page and f'href="/cases/{first.pk}/">{first.number}</a>' in page
    other = walk.to(State.DISPATCHED)  # a different photo: no flag (positive control of the comparison above)
    walk.act(other, "reply", "department_handler", reason="已清理", photos=[_photo(city["department_handler"], (7, 7, 7))])
    assert "photo-reused" not in login(city["shift_leader"]).get(f"/cases/{other.pk}/").content.decode()
