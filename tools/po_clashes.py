"""List msgids that two apps translate differently. Django keeps one translation per msgid for the whole site
(the first installed app's), so the other app shows the wrong word: give each meaning a context with
`pgettext` / `{% translate "x" context "y" %}`.

    python tools/po_clashes.py
"""

import collections
import re
from pathlib import Path


def clashes(root: Path = Path("chengguan")) -> dict:
    entries = collections.defaultdict(dict)
    for po in sorted(root.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")):
        app = po.parts[-5]
        for block in po.read_text(encoding="utf-8").split("\n\n"):
            m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
            if block.lstrip().startswith("#~") or not m or "msgid_plural" in block:
                continue
            ctx = re.search(r'^msgctxt "(.*)"', block, re.M)
            msgid = "".join(re.findall(r'"(.*)"', m.group(1)))
            msgstr = "".join(re.findall(r'"(.*)"', m.group(2)))
            if msgid and msgstr:
                entries[(ctx.group(1) if ctx else "", msgid)][app] = msgstr
    return {key: apps for key, apps in sorted(entries.items()) if len(set(apps.values())) > 1}


if __name__ == "__main__":
    found = clashes()
    for key, apps in found.items():
        print(key, apps)
    print(len(found), "msgids with two meanings")
