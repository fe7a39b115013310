"""Words that two apps translate differently carry a context, so each page shows its own meaning (Django keeps
one translation per msgid for the whole site: without a context the first installed app's word wins)."""

import pytest
from django.utils import translation

from chengguan.cases.models import CaseEvent, Source
from chengguan.enforcement.models import Payment
from chengguan.evaluation.models.assessment import AccountabilityAction, AssessmentEvidence
from chengguan.patrol.models.frontage import Obligation
from chengguan.public.models.citizen import PointsEntry


@pytest.fixture
def zh():
    with translation.override("zh-hans"):
        yield


def label(model, field):
    return str(model._meta.get_field(field).verbose_name)


def test_each_app_shows_its_own_meaning(zh):
    assert str(Obligation.ORDER.label) == "秩序"  # 门前三包: order, not sort order
    assert label(Payment, "channel") == "缴款方式"  # how a fine was paid, not an intake channel
    assert str(Source.LEADER.label) == "领导交办"  # a case source, not the org title
    assert label(CaseEvent, "from_state") == "原状态"
    assert label(CaseEvent, "to_state") == "新状态"
    assert label(PointsEntry, "points") == "积分"
    assert label(AssessmentEvidence, "file") == "文件"  # an uploaded file, not 立案
    assert label(AccountabilityAction, "kind") == "措施"


def test_the_plain_words_keep_the_first_apps_meaning(zh):
    # positive control: without a context the site-wide word is the first app's
    assert translation.gettext("channel") == "渠道"
    assert translation.gettext("order") == "排序"
    assert translation.gettext("from") == "开始"
    assert translation.pgettext("enforcement", "Case") == "案件"
    assert translation.gettext("Case") == "案卷"


def test_oversight_and_enforcement_keep_their_own_words(zh):
    from chengguan.oversight.models import State

    assert str(State.RECEIVED.label) == "已受理"  # a complaint is received for handling
    assert translation.gettext("received") == "已签收"  # a document served is signed for (enforcement)
    assert translation.gettext("permit number") == "许可证号"  # permits' word, not the assistant work permit's
