"""The evaluation part of `chengguan tick`: red-light notices (urge → supervise → referral).

Set `CHENGGUAN_EVALUATION_AUTO_NOTICES=0` to issue notices only by hand.
"""

import os

from .services import red_light_sweep


def enabled() -> bool:
    return os.environ.get("CHENGGUAN_EVALUATION_AUTO_NOTICES", "1").lower() not in {"0", "false", "no", "off"}


def run(*, now, stdout) -> dict:
    if not enabled():
        return {}
    result = red_light_sweep(now=now)
    stdout.write(
        f"evaluation: {result['urged']} urging notices, {result['escalated']} escalated, "
        f"{result['complied']} complied"
    )
    return result
