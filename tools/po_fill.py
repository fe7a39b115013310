"""Fill empty msgstr entries of a .po file from a TSV of `msgid<TAB>msgstr` lines, then compile.

    python tools/po_fill.py chengguan/cases/locale/zh_Hans/LC_MESSAGES/django.po translations.tsv

Only single-line msgids are filled; the rest are left for a human. Prints what is still untranslated.
"""

import re
import subprocess
import sys
from pathlib import Path


def fill(po_path: Path, table: dict[str, str]) -> list[str]:
    text = po_path.read_text(encoding="utf-8")
    missing = []

    def repl(match):
        msgid, msgstr = match.group(1), match.group(2)
        if msgstr or not msgid:
            return match.group(0)
        key = (
            msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            if "\\" in msgid
            else msgid
        )
        if key in table:
            return f'msgid "{msgid}"\nmsgstr "{table[key]}"'
        missing.append(key)
        return match.group(0)

    text = re.sub(r'^msgid "(.*)"\nmsgstr "(.*)"$', repl, text, flags=re.M)
    text = text.replace("#, fuzzy\n", "", 1) if "Content-Type: text/plain; charset=UTF-8" in text else text
    po_path.write_text(text, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(po_path.with_suffix(".mo")), str(po_path)], check=True)
    return missing


if __name__ == "__main__":
    po, tsv = Path(sys.argv[1]), Path(sys.argv[2])
    rows = [line.split("\t", 1) for line in tsv.read_text(encoding="utf-8").splitlines() if "\t" in line]
    left = fill(po, {k: v for k, v in rows})
    for msgid in left:
        print("untranslated:", msgid)
