"""An officer's summary procedure (简易程序) in a real browser (issue #8): on the spot, on a phone, the officer
registers the clue with the party and the facts and picks the penalty item from the power list; the discretion
benchmark suggests the amount on the decision panel; with a second certified officer the fine (≤ 200 yuan for a
person, 行政处罚法第51条) is decided and collected in cash against a financial receipt, and the decision
document is generated; back at the office the decision is filed with the body, the leader closes the case on
the desktop page and the officer archives it. A fine above the cap is refused on the page with the reason.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from .browser import requires_chromium
from .figures import add

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def power_list(city):
    from chengguan.enforcement.models import DiscretionBand, DiscretionBenchmark, EnforcementBody, PowerItem

    EnforcementBody.objects.create(
        department=city.bureau, name="开封市城市管理局", short_name="汴城管", review_authority="开封市人民政府",
        court="开封市龙亭区人民法院", bank="中国工商银行开封分行营业部",
    )  # fmt: skip
    litter = PowerItem.objects.create(
        code="CG-CF-008", name="随地吐痰、便溺, 乱扔果皮纸屑烟头", power_type="penalty", legal_basis="市容条例 34(1)",
        law="《城市市容和环境卫生管理条例》", article="第34条", paragraph="第1项", level="street",
        penalty_text="责令纠正, 可处 ≤ 50 元罚款",
    )  # fmt: skip
    bench = DiscretionBenchmark.objects.create(item=litter, party_type="person", statutory_max=Decimal("50"))
    DiscretionBand.objects.create(benchmark=bench, level="minor", amount_min=0, amount_max=10,
                                  criteria="情节轻微", conditions={"harm": "none"})
    DiscretionBand.objects.create(benchmark=bench, level="general", amount_min=20, amount_max=50, criteria="一般")
    return litter


def test_an_officer_decides_a_fine_on_the_spot_and_the_case_is_closed_and_archived(browser, city, power_list):
    from chengguan.enforcement.models import EnforcementCase

    b = browser

    def submit_act(code, fill=None):
        b.page = b.css("html")  # replaced when the page reloads after the act
        panel = b.css(f"details#act-{code}")
        if not panel.get_attribute("open"):
            b.css("summary", panel).click()
        if fill:
            fill(panel)
        b.css("button[type=submit]", panel).click()

    def done(code, state):
        from selenium.webdriver.support.expected_conditions import staleness_of

        b.wait(staleness_of(b.page), f"{code}: the page did not reload after the act")
        b.wait(lambda d: b.all(".messages li.success"), f"{code}: no success message")
        case.refresh_from_db()
        assert case.state == state, f"{code}: the case is {case.state}"
        assert b.page_overflow() <= 0, f"the case page is wider than the screen: {b.overflowing()}"
        add("browser: steps done", 1)

    # 1. on the spot, on the officer's phone: register the clue
    b.phone()
    b.sign_in(city["officer"])
    b.get("/enforcement/clues/new/")
    assert b.page_overflow() <= 0, f"the clue form is wider than the phone: {b.overflowing()}"
    b.select("#source", "patrol")
    b.css("#title").send_keys("乱扔烟头")
    b.select("#region", city.community_a1.pk)
    b.select("#department", city.brigade_a.pk)
    b.css("#place").send_keys("龙亭区西门大街路口")
    b.css("#power_item").send_keys("CG-CF-008")  # offered by the power list's datalist
    assert b.all('#items option[value="CG-CF-008"]')
    b.js("document.getElementById('violation_date').value = arguments[0]", timezone.localdate().isoformat())
    b.select("#party_type", "person")
    b.css("#party_name").send_keys("王某")
    b.css("#party_phone").send_keys("13800000000")
    b.css("#party_id_number").send_keys("410202199001010000")  # the on-the-spot decision prints both
    b.css("#party_address").send_keys("开封市龙亭区西门大街8号")
    b.css("#facts").send_keys("当事人在西门大街路口随地乱扔烟头，经劝阻拒不拾起。")
    b.css("form.card button[type=submit]").click()
    b.wait(lambda d: "/enforcement/cases/" in d.current_url, "no case page after registering the clue")
    case = EnforcementCase.objects.get()
    assert case.state == "clue" and case.power_item == power_list and case.party_type == "person"
    assert b.page_overflow() <= 0, f"the case page is wider than the phone: {b.overflowing()}"
    add("browser: steps done", 1)

    # 2. the decision panel shows the benchmark's suggestion; a fine above the summary cap is refused
    panel = b.css("details#act-decide_on_the_spot")
    if not panel.get_attribute("open"):
        b.css("summary", panel).click()
    b.wait(lambda d: "20" in b.css(".suggestion", panel).text and "50" in b.css(".suggestion", panel).text,
           "no benchmark suggestion on the on-the-spot decision")  # fmt: skip

    def decide(amount):
        def fill(panel):
            b.select("select[name=co_officer]", city["officer2"].pk, panel)
            b.select("select[name=penalty]", "fine", panel)
            b.css("input[name=fine_amount]", panel).clear()
            b.css("input[name=fine_amount]", panel).send_keys(amount)
            if not b.css("input[name=collect_cash]", panel).is_selected():
                b.css("input[name=collect_cash]", panel).click()
            b.css("input[name=receipt_number]", panel).clear()
            b.css("input[name=receipt_number]", panel).send_keys("豫财0001")

        return fill

    submit_act("decide_on_the_spot", decide("300"))
    b.wait(lambda d: b.all("details#act-decide_on_the_spot p.error"), "a fine above the cap was not refused")
    assert "200" in b.css("details#act-decide_on_the_spot p.error").text
    case.refresh_from_db()
    assert case.state == "clue"
    refused = b.console_errors()  # the browser logs the 422 answer itself; nothing else may be there
    assert refused and all("decide_on_the_spot/ - Failed to load resource" in e and "422" in e for e in refused), refused

    submit_act("decide_on_the_spot", decide("50"))
    done("decide_on_the_spot", "performed")
    assert case.procedure == "summary" and case.fine_amount == Decimal("50") and case.cash_collected
    assert case.officers.count() == 2
    documents = b.css("body").text
    assert case.decision_number and case.decision_number in documents
    link = b.css(f'a[href^="/enforcement/cases/{case.pk}/documents/"]')
    status = b.driver.execute_async_script(
        "const done = arguments[1]; fetch(arguments[0]).then(r => done(r.status + ' ' + r.headers.get('content-type')))",
        link.get_attribute("href"),
    )
    assert status.startswith("200 application/vnd.openxmlformats"), status

    # 3. at the office: file the on-the-spot decision with the body; the leader closes; the officer archives
    b.desktop()
    b.get(f"/enforcement/cases/{case.pk}/")
    submit_act("file_summary_record")
    done("file_summary_record", "performed")
    b.sign_in(city["leader"])
    b.get(f"/enforcement/cases/{case.pk}/")
    submit_act("close", lambda p: b.css("textarea[name=summary]", p).send_keys("当场处罚，罚款当场收缴，已上缴。"))
    done("close", "closed")
    b.sign_in(city["officer"])
    b.get(f"/enforcement/cases/{case.pk}/")
    submit_act("archive")
    done("archive", "archived")
    assert not b.console_errors()
    add("browser: journeys completed", 1)
