"""About fifteen groups in plain words for the citizen's category list (the national catalogue has 10 major
classes named for administrators and about 250 matter types). A matter type joins the first group whose codes
or code prefixes list it; the rest go by major class; local types fall into "other". Each group carries search
words a citizen might type."""

from django.utils.translation import gettext_lazy as _

# key, label, search words, codes or code prefixes (5 digits = one type, 2–4 digits = a prefix)
GROUPS = [
    ("garbage", _("Garbage and dirty streets"), "垃圾 脏 乱扔 满溢 清扫 环卫 尸体 杂物",
     "06010 06011 06012 06014 06015 06017 06018 06020 06032 06033 06035 06036 06037 06041 06042 03004 03005"
     " 03014 03015 03016"),
    ("vending", _("Street vending and shops outside"), "摊 摊贩 小贩 占道 经营 夜市 洗车 促销 餐饮",
     "09001 09002 09004 09005 09006 09008 09013 09015 09020 09021 09022 06029"),
    ("parking", _("Parking and blocked passages"), "停车 乱停 单车 共享单车 消防通道 地锁 盲道",
     "09009 09010 09011 09012 09016 09017 09019 06039 06040 02001 02002 02003 02025 02026 02027 02041"),
    ("manholes", _("Manhole covers and drains"), "井盖 下水道 雨水 箅子 盖板 化粪池",
     "01001 01002 01003 01004 01005 01006 01007 01008 01009 01010 01011 01012 01014 01015 01017 01018 01019"
     " 01020 01021 01022 01023 01026 03003"),
    ("roads", _("Roads, pavements and steps"), "道路 路面 坑 破损 人行道 台阶 路缘石 盲道 积雪 结冰 减速带",
     "06013 06016 06048 06049 06050 06051 06052 02043 02020 02021 02022 10001"),
    ("lights", _("Street lights, power and cables"), "路灯 灯 电线 电缆 电杆 变压器 配电箱 电",
     "01028 01029 01030 01031 01037 01038 01039 01047 01048 01060 01077 10002 01027 01062"),
    ("traffic", _("Traffic signs, signals and bridges"), "红绿灯 信号灯 标志 标线 护栏 天桥 地下通道 公交站 路名牌",
     "02"),
    ("building", _("Illegal building and façades"), "违建 违章 搭建 外立面 晾晒 空调 彩旗 遮阳篷",
     "06001 06002 06003 06004 06005 06006 06007 06008 06009 06019 06043 06044 08016"),
    ("ads", _("Small ads, billboards and shop signs"), "小广告 广告 招牌 牌匾 标语 传单 宣传",
     "07 03006 03007 03008"),
    ("construction", _("Construction sites and dust"), "施工 工地 扬尘 渣土 围挡 挖路", "08"),
    ("green", _("Trees, lawns and parks"), "树 绿地 草坪 花 公园 病虫害 砍树", "04 06021 06022 06045 06047"),
    ("water", _("Rivers, lakes and embankments"), "河 湖 水 河道 堤岸 排污口 防汛",
     "06023 06024 06025 06026 06046 01067 01069 01070 01071 01072 01073 02029 02030 02031"),
    ("pollution", _("Noise, smoke and waste water"), "噪声 噪音 扰民 油烟 烧烤 污水 焚烧 排污",
     "06027 06028 06030 08001"),
    ("facilities", _("Toilets, kiosks, benches and other facilities"), "厕所 公厕 报刊亭 座椅 健身 快递柜 充电桩 电梯",
     "03 01"),
    ("other", _("Other problems"), "其他", ""),
]  # fmt: skip


def _match(code: str, rule: str) -> bool:
    return any(code == item or (len(item) < 5 and code.startswith(item)) for item in rule.split())


def group_of(code: str) -> str:
    # exact codes first (a type listed by a theme group wins over a broad prefix of another group)
    for key, _label, _words, rule in GROUPS:
        if code in rule.split():
            return key
    for key, _label, _words, rule in GROUPS:
        if _match(code, rule):
            return key
    return "other"


def grouped(matters) -> list[dict]:
    """[{key, label, words, matters}] in the order of GROUPS, empty groups left out."""
    buckets: dict[str, list] = {key: [] for key, *_rest in GROUPS}
    for m in matters:
        buckets[group_of(m.code)].append(m)
    return [
        {"key": key, "label": label, "words": words, "matters": sorted(buckets[key], key=lambda m: m.name)}
        for key, label, words, _rule in GROUPS
        if buckets[key]
    ]
