"""The bulk import (`chengguan cases import FILE --bulk`): the exchange format at migration scale.

Same input, same rules and same rows as the replaying import (`exchange.import_cases`), written set-wise:

1. **Validate the whole file first.** Every line is parsed, then replayed in memory (`simulate`) with the live
   services' rules; a merge is checked against its target's own history (reported before, still open at that
   moment on the file's timeline) or against the database. Default (`on_error="stop"`): the first bad line
   raises `ExchangeError` and nothing is written. `on_error="skip"`: bad lines (and merges into them) are left
   out whole and listed. Each line is replayed once: its rows are pickled into a temporary spool file, which the
   write pass reads back (the case as its column values; the line's data only for a chunk hook). Where it can
   (`overlap.py`), the replay runs in a forked child handing the spool over batch by batch while this process
   writes; what is written before the child has validated the whole file stays in one open transaction, rolled
   back if it finds a bad line.
2. **Write in chunks** of `chunk` cases, one transaction each: cases, events and dispatch rows without a model
   instance per row (`core.bulkrows`: COPY on PostgreSQL, executemany elsewhere), requests with `bulk_create`, merge
   links, the number counters, the evaluation facts (`cases_imported` is sent inside the chunk's transaction with
   the rows in memory, `histories=`, so the facts are derived without reading them back and commit with their
   rows) and the file's checkpoint row (file SHA-256, last committed line).
3. **Resume**: running the same file again (same SHA-256) validates it again and writes from the line after the
   checkpoint; a chunk is all or nothing, so a crash (kill -9) loses no line and writes none twice.

All-or-nothing per file therefore means: a file with a bad line writes nothing (validation comes first); a file
that validated is written completely, by resuming after a crash if need be.
"""

import hashlib
import json
import pickle
import tempfile
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from chengguan.core.errors import DomainError, ValidationError
from chengguan.core.workcalendar import fixed_zone

from ..exchange import ExchangeError, parse_line
from ..models import Case, ImportCheckpoint
from . import overlap as overlapped
from .simulate import FINAL_ACTIONS, World, simulate
from .write import write

DEFAULT_CHUNK = 5000
SPOOL_BATCH = 1000  # lines per pickle in the spool


@dataclass(slots=True)
class Summary:
    """What a merge into this line needs to know, kept for every line of the file."""

    no: int
    report_key: tuple
    final_key: tuple | None
    reported_at: object


@dataclass
class Plan:
    sha256: str
    lines: int = 0
    summaries: dict = field(default_factory=dict)  # number → Summary
    rejected: dict = field(default_factory=dict)  # line → ExchangeError
    merges: list = field(default_factory=list)  # (source number, target number)
    existing: dict = field(default_factory=dict)  # number → (pk, is_open, reported_at), cases not from this file
    done_line: int = 0
    usernames: set = field(default_factory=set)


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _lines(path):
    with open(path, encoding="utf-8") as f:
        for no, text in enumerate(f, start=1):
            if text.strip():
                yield no, text


def _summarise(plan: Plan, path, skip: bool) -> None:
    """Pass 1a: parse every line; keep what merges need; note duplicate and existing numbers."""
    for no, text in _lines(path):
        plan.lines = no
        try:
            line = parse_line(no, text)
            number = line.data["number"]
            if number in plan.summaries:
                raise ExchangeError(no, f"case {number} appears twice", source_field="number")
        except ExchangeError as exc:
            if not skip:
                raise
            plan.rejected[no] = exc
            continue
        final = next(((at, no, i) for i, (at, ev) in enumerate(line.events) if ev["action"] in FINAL_ACTIONS), None)
        plan.summaries[number] = Summary(no, (line.registered_at, no, -1), final, line.reported_at)
        plan.usernames.add(line.data.get("reporter") or "")
        for _at, ev in line.events:
            plan.usernames.add(ev.get("actor") or "")
            if ev["action"] == "merge" and ev.get("target"):
                plan.merges.append((number, str(ev["target"])))
    numbers = list(plan.summaries)
    wanted = set(numbers) | {t for _s, t in plan.merges}
    found = {}
    wanted = sorted(wanted)
    for start in range(0, len(wanted), 2000):
        rows = Case.objects.filter(number__in=wanted[start : start + 2000])
        for pk, number, is_open, reported_at in rows.values_list("pk", "number", "is_open", "reported_at"):
            found[number] = (pk, is_open, reported_at)
    for number, summary in list(plan.summaries.items()):
        if number in found and summary.no > plan.done_line:
            exc = ExchangeError(summary.no, f"case {number} exists already", source_field="number")
            if not skip:
                raise exc
            plan.rejected[summary.no] = exc
    plan.existing = {n: v for n, v in found.items() if n not in plan.summaries}


def _merge_checker(plan: Plan):
    def check(number, line, index, at):
        key = (at, line.no, index)
        s = plan.summaries.get(number)
        if s is not None and s.no not in plan.rejected and s.report_key < key:
            if s.no == line.no:
                raise ValidationError(_("A case cannot be merged into itself."), field="target_id")
            is_open, reported_at = s.final_key is None or s.final_key > key, s.reported_at
        elif s is None and number in plan.existing:
            _pk, is_open, reported_at = plan.existing[number]
        else:
            raise ValidationError(_("Unknown case %(value)s.") % {"value": number}, field="target_id")
        if not is_open:
            raise ValidationError(_("%(t_number)s is no longer open.") % {"t_number": number}, field="target_id")
        if at < reported_at:
            raise ValidationError(
                _("%(t_number)s was reported after this merge's time; a case can only be merged into an "
                  "earlier report.") % {"t_number": number},
                field="target_id",
            )

    return check


class _Spooled:
    """Pass 2's input when validation ran first, in this process: the spool's batches of packed lines (file order),
    the whole file validated already (the same interface as `overlap.Validation`)."""

    validated = True

    def __init__(self, spool):
        self.spool, self.validated_at = spool, time.monotonic()

    def __iter__(self):
        while True:
            try:
                yield pickle.load(self.spool)
            except EOFError:
                return

    def ready(self) -> bool:
        return True

    def close(self) -> None:
        pass


def _planned(path, on_error: str) -> Plan:
    """Pass 1a with the file's hash and checkpoint: what every line's merges need (nothing replayed yet)."""
    plan = Plan(file_sha256(path))
    checkpoint = ImportCheckpoint.objects.filter(file_sha256=plan.sha256).first()
    plan.done_line = checkpoint.last_line if checkpoint else 0
    _summarise(plan, path, on_error == "skip")
    return plan


def replay_lines(path, plan: Plan, world: World, *, skip: bool, line_check=None, emit=None, keep_lines=False,
                 first: int = SPOOL_BATCH):  # fmt: skip
    """Pass 1b: replay every line (rejected ones noted when `skip`, else the first raises ExchangeError); with
    `emit`, the packed rows of the lines after the checkpoint are handed to it in file order, `first` lines,
    then twice as many, up to SPOOL_BATCH lines at a time (the last batch possibly empty)."""
    check = _merge_checker(plan)
    batch, size = [], first
    for no, text in _lines(path):
        if no in plan.rejected:
            continue
        try:
            line = parse_line(no, text)
            if line_check is not None:
                try:
                    line_check(line)
                except DomainError as exc:
                    raise ExchangeError(no, exc.message, source_field=exc.field or "") from exc
            replayed = simulate(line, world, check)
        except ExchangeError as exc:
            if not skip:
                raise
            plan.rejected[no] = exc
            continue
        if emit is not None and no > plan.done_line:
            batch.append(replayed.packed(keep_lines))
            if len(batch) >= size:  # one pickle per batch: its users, conditions and zones once
                emit(batch)
                batch, size = [], min(2 * size, SPOOL_BATCH)
    if emit is not None:
        emit(batch)


def plan_import(path, *, on_error: str = "stop", line_check=None, spool=None, keep_lines=False) -> tuple[Plan, World]:
    """Validate the whole file (nothing is written); raises ExchangeError unless `on_error="skip"`. With `spool`
    (a binary file), each line is replayed whole — deadlines too — and the rows of the lines after the checkpoint
    are pickled into it in file order, so the write pass reads them instead of replaying the line again (with the
    lines' parsed data if `keep_lines`)."""
    plan = _planned(path, on_error)
    world = World(plan.usernames, validate_only=spool is None)
    emit = None
    if spool is not None:
        emit = lambda batch: pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)  # noqa: E731
    skip = on_error == "skip"
    replay_lines(path, plan, world, skip=skip, line_check=line_check, emit=emit, keep_lines=keep_lines)
    if spool is not None:
        spool.seek(0)
    # a merge into a rejected line is rejected too (its target does not exist), until nothing changes
    line_of = {n: s.no for n, s in plan.summaries.items()}
    while True:
        dropped = [(s, t) for s, t in plan.merges if line_of[s] not in plan.rejected and line_of.get(t) in plan.rejected]
        if not dropped:
            break
        for source, target in dropped:
            no = line_of[source]
            plan.rejected[no] = ExchangeError(no, f"Unknown case {target}.", source_field="target_id")
    return plan, (world if spool is not None else World(plan.usernames))


def bulk_import(path, *, on_error: str = "stop", rejects=None, dry_run: bool = False, chunk: int = DEFAULT_CHUNK,
                progress=None, chunk_hook=None, line_check=None, overlap: bool = True) -> dict:  # fmt: skip
    """Import a JSON Lines file set-wise (see the module doc). Returns counts; `progress(done, total, seconds)` is
    called after each committed chunk. `line_check(line)` adds a check to the validation (raise DomainError);
    `chunk_hook(rows)` writes more rows in each chunk's transaction (the bundle's photos and links).
    `overlap=False` validates the whole file before writing even where a child could validate meanwhile."""
    if on_error not in ("stop", "skip"):
        raise ValueError(f"on_error must be 'stop' or 'skip', not {on_error!r}")
    started = time.monotonic()
    # the replayed rows between validation and writing: a temporary file, gone when the import ends or dies
    with tempfile.TemporaryFile(prefix="chengguan-bulk-") as spool, fixed_zone():
        return _import(path, None if dry_run else spool, started, on_error=on_error, rejects=rejects,
                       dry_run=dry_run, chunk=chunk, progress=progress, chunk_hook=chunk_hook,
                       line_check=line_check, overlap=overlap)  # fmt: skip


def _import(path, spool, started, *, on_error, rejects, dry_run, chunk, progress, chunk_hook, line_check,
            overlap) -> dict:  # fmt: skip
    keep_lines = chunk_hook is not None
    how = None if dry_run or on_error != "stop" or not overlap else overlapped.mode()
    if how is None:  # validate the whole file, then write
        plan, _world = plan_import(
            path, on_error=on_error, line_check=line_check, spool=spool, keep_lines=keep_lines
        )
        source = _Spooled(spool)
    else:  # the replay in a child, handing over batches as they are ready; pass 1a first, here
        plan = _planned(path, on_error)

        def replay(emit):
            world, keep = World(plan.usernames), keep_lines
            # a small first batch: the parent starts writing sooner
            replay_lines(path, plan, world, skip=False, line_check=line_check, emit=emit, keep_lines=keep,
                         first=SPOOL_BATCH // 8)  # fmt: skip

        source = overlapped.Validation(spool, replay, how)
    try:
        return write(plan, source, started, path=path, rejects=rejects, dry_run=dry_run, chunk=chunk,
                     progress=progress, chunk_hook=chunk_hook, overlapped=how is not None)  # fmt: skip
    finally:
        source.close()


def reject_header() -> str:
    return "line\tevent\tfield\treason\n"


def dumps(record) -> str:
    return json.dumps(record, ensure_ascii=False)
