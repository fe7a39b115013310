"""The bulk import's write pass (see the package doc): the replayed rows in chunks, one transaction each, with
the merge links, the number counters, the evaluation facts and the file's checkpoint."""

import time

from django.db import connection, transaction
from django.utils import timezone

from chengguan.core.bulkrows import insert_rows

from ..exchange import _bump_counters
from ..models import Case, CaseDepartment, CaseEvent, CaseRequest, ImportCheckpoint
from ..signals import cases_imported
from .simulate import EVENT_COLUMNS, Replayed

DISPATCH_COLUMNS = ("case_id", "department_id", "first_dispatched_at")


def write(plan, source, started, *, path, rejects, dry_run, chunk, progress, chunk_hook, overlapped) -> dict:
    """Pass 2. Each chunk commits on its own once the whole file is known to be valid; what is written before
    (overlapped validation) is kept in one open transaction, committed at the first chunk boundary after the child
    has validated the whole file, rolled back (nothing written) if it finds a bad line."""
    if rejects is not None:
        for no in sorted(plan.rejected):
            rejects.write(plan.rejected[no].reject_row())
    good = [s for s in plan.summaries.values() if s.no not in plan.rejected]
    todo = sum(1 for s in good if s.no > plan.done_line)
    result = {"cases": 0, "events": 0, "rejected": len(plan.rejected), "dry_run": dry_run,
              "resumed_after_line": plan.done_line, "overlapped": overlapped}  # fmt: skip
    if dry_run:
        result["cases"] = todo
        result["validated_seconds"] = time.monotonic() - started
        return result
    pending = None if source.validated else transaction.atomic()
    if pending is not None:
        pending.__enter__()
    try:
        now = timezone.now()
        checkpoint, _created = ImportCheckpoint.objects.get_or_create(
            file_sha256=plan.sha256, defaults={"path": str(path)[-500:], "started_at": now, "updated_at": now}
        )
        incoming = {}
        for source_number, target in plan.merges:
            incoming.setdefault(target, []).append(source_number)
        buffer, committed, written = [], 0, time.monotonic()

        def flush(last_line, finished=False):
            nonlocal pending, committed
            result["events"] += _write_chunk(buffer, checkpoint, last_line, plan, incoming, chunk_hook,
                                             finished=finished)  # fmt: skip
            result["cases"] += len(buffer)
            buffer.clear()
            if result["cases"] % chunk and not finished:
                return  # written early, while the child validates: committed with the chunk it belongs to
            if pending is not None:
                if not (source.ready() and source.validated):  # (ready() reads what the child has said)
                    return
                pending.__exit__(None, None, None)
                pending = None
            if progress and result["cases"] > committed:
                progress(result["cases"], todo, time.monotonic() - written)
            committed = result["cases"]

        no = plan.done_line
        for batch in source:
            for packed in batch:
                no = packed[0].no
                if no in plan.rejected:  # rejected after it was replayed (a merge into a bad line)
                    continue
                buffer.append(Replayed.unpacked(packed))
                if len(buffer) >= chunk - result["cases"] % chunk:
                    flush(no)
            if pending is not None and buffer and not source.ready():
                flush(no)  # the child has no more ready yet: write what there is meanwhile
        flush(plan.lines, finished=True)
    except BaseException as exc:
        if pending is not None:
            pending.__exit__(type(exc), exc, exc.__traceback__)
        raise
    result["validated_seconds"] = source.validated_at - started
    result["seconds"] = time.monotonic() - started
    return result


def _write_chunk(rows, checkpoint, last_line, plan, incoming, hook=None, *, finished=False) -> int:
    """One transaction: the chunk's rows, merge links, counters, facts and the checkpoint. Returns events."""
    with transaction.atomic():
        cases = [r.case for r in rows]
        insert_cases(cases)
        requests = []
        for r in rows:
            for req in r.requests:
                req.case_id = r.case.pk
                requests.append(req)
        # few; their keys go into the events' payloads
        CaseRequest.objects.bulk_create(requests, batch_size=1000)
        events, dispatched = [], []
        for r in rows:
            pk = r.case.pk
            for e in r.events:
                e[0] = pk
                payload = e[-1]
                if isinstance(payload.get("request_id"), CaseRequest):
                    payload["request_id"] = payload["request_id"].pk
                events.append(e)
            dispatched.extend((pk, d, at) for d, at in r.dispatched.items())
        insert_rows(CaseEvent, EVENT_COLUMNS, events)
        insert_rows(CaseDepartment, DISPATCH_COLUMNS, dispatched)
        _link_merges(rows, incoming)
        if hook is not None and rows:
            hook(rows)
        _bump_counters(c.number for c in cases)
        if cases:  # the rows in memory ride along, so a receiver derives from them without reading them back
            histories = [(r.case, [dict(zip(EVENT_COLUMNS, e, strict=True)) for e in r.events]) for r in rows]
            cases_imported.send(sender=Case, case_ids=[c.pk for c in cases], histories=histories)
        checkpoint.last_line = last_line
        checkpoint.cases += len(cases)
        checkpoint.events += len(events) - len(cases)
        checkpoint.updated_at = timezone.now()
        checkpoint.lines = plan.lines
        if finished:
            checkpoint.finished_at = checkpoint.updated_at
        checkpoint.save()
    return len(events) - len(cases)


def insert_cases(cases) -> None:
    """Case rows without the ORM's per-field preparation (`COPY` on PostgreSQL, one prepared INSERT elsewhere); the
    keys the database gave them are read back by number (unique) and set on the instances."""
    if not cases:
        return
    columns = [f.attname for f in Case._meta.concrete_fields if not f.primary_key]
    insert_rows(Case, columns, [[getattr(c, name) for name in columns] for c in cases])
    by_number = {c.number: c for c in cases}
    numbers = list(by_number)
    for start in range(0, len(numbers), 2000):
        found = Case.objects.filter(number__in=numbers[start : start + 2000]).values_list("number", "pk")
        for number, pk in found:
            case = by_number[number]
            case.pk = pk
            case._state.adding, case._state.db = False, connection.alias


def _link_merges(rows, incoming) -> None:
    """`merged_into` for merges whose source or target is in this chunk, once both rows exist."""
    pairs = [(r.case.number, r.merge_target) for r in rows if r.merge_target]
    pairs += [(s, r.case.number) for r in rows for s in incoming.get(r.case.number, ())]
    if not pairs:
        return
    numbers = {n for pair in pairs for n in pair}
    pk = dict(Case.objects.filter(number__in=numbers).values_list("number", "pk"))
    by_target = {}
    for source, target in set(pairs):
        if source in pk and target in pk:
            by_target.setdefault(pk[target], []).append(pk[source])
    for target, sources in by_target.items():
        Case.objects.filter(pk__in=sources).update(merged_into_id=target)
