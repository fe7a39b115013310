"""Figures the system proofs report (fuzzed requests, 5xx count, matrix size, race and crash runs, restore
diff). Tests call `record()`; the package's conftest prints them in pytest's terminal summary and writes
`artifacts/system-figures.json` so CI shows and keeps them."""

import json
import os
from pathlib import Path

FIGURES: dict[str, object] = {}


def artifacts_dir() -> Path:
    path = Path(os.environ.get("CHENGGUAN_ARTIFACTS", Path.cwd() / "artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def record(name: str, value) -> None:
    FIGURES[name] = value


def add(name: str, value: int = 1) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + value


def write_json(name: str, data) -> Path:
    path = artifacts_dir() / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return path
