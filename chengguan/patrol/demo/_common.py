"""What the parts of the patrol demo share: names and the staffing figures."""

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
)
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志海燕文博鹏飞宇浩然")
# urban districts: (adcode, officers, assistants); fewer officers than Kaifeng's norm of 6 per 10,000, as in
# most real cities, so the staffing report has something to say
STAFFING = {"410202": (52, 70), "410203": (44, 60), "410204": (36, 50), "410205": (30, 38)}
SQUAD_DISTRICTS = ["410202"]


def _name(i: int) -> str:
    name = SURNAMES[(i * 7) % len(SURNAMES)] + GIVEN[(i * 13) % len(GIVEN)]
    return name + GIVEN[(i * 5) % len(GIVEN)] if i % 3 else name
