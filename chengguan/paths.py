"""Where the instance keeps its files (var/: SQLite database, media, generated secret, collected static files).

CHENGGUAN_VAR_DIR when set; otherwise beside the installed code, never the directory a command happens to run
in: a source checkout uses <checkout>/var, an installed package <virtualenv>/var/chengguan.
"""

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def var_dir() -> Path:
    configured = os.environ.get("CHENGGUAN_VAR_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").exists() and (checkout / "chengguan" / "settings.py").exists():
        return checkout / "var"
    return Path(sys.prefix).resolve() / "var" / "chengguan"
