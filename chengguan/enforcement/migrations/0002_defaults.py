"""The audit chain's head row and the statutory discretion factors that apply to every item (editable)."""

from django.db import migrations

# (kind, code, label, basis, mandatory, shift)
FACTORS = [
    ("mitigating", "eliminated_harm", "主动消除或者减轻违法行为危害后果", "行政处罚法第32条第1项", True, 1),
    ("mitigating", "coerced", "受他人胁迫或者诱骗实施违法行为", "行政处罚法第32条第2项", True, 1),
    ("mitigating", "confessed", "主动供述行政机关尚未掌握的违法行为", "行政处罚法第32条第3项", True, 1),
    ("mitigating", "meritorious", "配合行政机关查处违法行为有立功表现", "行政处罚法第32条第4项", True, 1),
    ("mitigating", "stopped_promptly", "及时中止违法行为，危害后果较小", "裁量基准通用情形", False, 1),
    ("aggravating", "repeat", "一年内因同一种违法行为受到处罚三次以上", "裁量基准通用情形", False, 1),
    ("aggravating", "refused_correction", "责令改正后拒不改正", "裁量基准通用情形", False, 1),
    ("aggravating", "obstruction", "隐匿、销毁证据或者逃避、阻碍执法检查", "裁量基准通用情形", False, 1),
    ("aggravating", "large_impact", "情节恶劣，造成较大社会影响", "裁量基准通用情形", False, 1),
    ("aggravating", "several_provisions", "一个违法行为同时违反两个以上规定", "裁量基准通用情形", False, 1),
]


def forwards(apps, schema_editor):
    apps.get_model("enforcement", "AuditHead").objects.get_or_create(pk=1)
    factor = apps.get_model("enforcement", "DiscretionFactor")
    for kind, code, label, basis, mandatory, shift in FACTORS:
        factor.objects.get_or_create(
            item=None, code=code,
            defaults={"kind": kind, "label": label, "basis": basis, "mandatory": mandatory, "shift": shift},
        )


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
