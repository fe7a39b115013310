"""`chengguan calendar status|import FILE|recompute`: the yearly holiday arrangement and provisional deadlines."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from chengguan.core.calendar_service import calendar_status, enter_arrangement, recompute
from chengguan.core.errors import DomainError
from chengguan.core.holiday_notice import parse_notice


def _show_changes(out, changes) -> None:
    for c in changes:
        where = f"{c['number']} {c.get('field', 'deadline')}"
        mark = " (still provisional)" if c.get("provisional") else ""
        out.write(f"  {where}: {c['old']:%Y-%m-%d %H:%M} -> {c['new']:%Y-%m-%d %H:%M}{mark}")


class Command(BaseCommand):
    help = "Working calendar: next year's status, enter a State Council holiday notice, recompute deadlines."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="whether next year's holiday arrangement is entered")
        imp = sub.add_parser("import", help="read a notice (国务院办公厅关于XXXX年部分节假日安排的通知) and save it")
        imp.add_argument("file", help="the notice's text, UTF-8")
        imp.add_argument("--dry-run", action="store_true", help="show what was read, save nothing")
        imp.add_argument("--actor", help="username recorded in the history (default: the first superuser)")
        rec = sub.add_parser("recompute", help="count provisional deadlines again for entered years")
        rec.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
        rec.add_argument("--actor", help="username recorded in the history (default: the first superuser)")

    def _actor(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {username}") from None

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _status(self, **options):
        s = calendar_status()
        self.stdout.write(f"{s['year']}: {s['source']}" + (" (administrators are being reminded)" if s["reminder"] else ""))

    def _import(self, file, dry_run=False, actor=None, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        arrangement = parse_notice(text)
        self.stdout.write(f"{arrangement.year} {arrangement.document_number}")
        for row in arrangement.summary():
            extra = "、".join(f"{d:%m-%d}" for d in row["workdays"])
            self.stdout.write(
                f"  {row['name']}: {row['first']:%m-%d} – {row['last']:%m-%d}, {row['count']} days"
                + (f"; make-up workdays {extra}" if extra else "")
            )
        if dry_run:
            self.stdout.write("dry run: nothing saved")
            return
        result = enter_arrangement(arrangement=arrangement, actor=self._actor(actor))
        self.stdout.write(
            f"saved {result['holidays']} holidays and {result['workdays']} make-up workdays; "
            f"{len(result['changes'])} deadlines recomputed"
        )
        _show_changes(self.stdout, result["changes"])

    def _recompute(self, year=None, actor=None, **options):
        changes = recompute(years=year, actor=self._actor(actor))
        self.stdout.write(f"{len(changes)} deadlines recomputed")
        _show_changes(self.stdout, changes)
