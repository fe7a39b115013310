"""`chengguan setup`: bring an instance up (and up to date) in one idempotent command.

    chengguan setup --admin admin --regions regions.geojson --departments departments.csv

1. applies the database migrations; 2. collects the static files; 3. loads the city's regions, unit grids,
responsibility grids (GeoJSON, as `chengguan grids import`) and departments (CSV) when given; 4. creates the
first administrator when none exists (password from CHENGGUAN_ADMIN_PASSWORD or asked for); 5. checks the
city (CHENGGUAN_CITY_CODE) and the working calendar for this year and next. Run it again after an upgrade.
"""

import getpass
import os
import sys
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from chengguan.core.errors import DomainError


class Command(BaseCommand):
    help = "Set up or upgrade an instance: migrations, static files, the city's data, first administrator, checks."

    def add_arguments(self, parser):
        parser.add_argument("--admin", default="", help="username of the first administrator (created if missing)")
        parser.add_argument("--regions", help="GeoJSON of the city's regions (city, districts, streets, communities)")
        parser.add_argument("--unit-grids", help="GeoJSON of unit grids")
        parser.add_argument("--responsibility-grids", help="GeoJSON of responsibility grids")
        parser.add_argument("--departments", help="CSV of departments (code,name,kind,parent,region,phone)")
        parser.add_argument("--no-static", action="store_true", help="skip collectstatic")

    def handle(self, *args, admin, regions, unit_grids, responsibility_grids, departments, no_static, **options):
        self.stdout.write("1/5 migrations")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_static:
            self.stdout.write("2/5 static files")
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("3/5 city data")
        for kind, file in (("regions", regions), ("unit_grids", unit_grids),
                           ("responsibility_grids", responsibility_grids)):
            if file:
                call_command("grids", "import", file, "--kind", kind, stdout=self.stdout)
        if departments:
            self._departments(departments)
        self.stdout.write("4/5 administrator")
        self._admin(admin)
        self.stdout.write("5/5 checks")
        problems = self._checks()
        for line in problems:
            self.stderr.write(f"  warning: {line}")
        self.stdout.write("setup done" + (f" with {len(problems)} warning(s)" if problems else ""))

    def _departments(self, file):
        from chengguan.ops.departments import load_departments

        try:
            created, updated = load_departments(Path(file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        except DomainError as exc:
            raise CommandError(f"{file}: {exc.message}; nothing was changed") from exc
        self.stdout.write(f"departments: {created} new, {updated} updated")

    def _admin(self, username):
        from chengguan.org.models import Region, Role, RoleAssignment, User

        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("an administrator exists already")
            return
        if not username:
            raise CommandError("no administrator yet: pass --admin USERNAME (password from CHENGGUAN_ADMIN_PASSWORD)")
        password = os.environ.get("CHENGGUAN_ADMIN_PASSWORD", "")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError("set CHENGGUAN_ADMIN_PASSWORD (or run in a terminal to be asked)")
            password = getpass.getpass(f"password for {username}: ")
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            validate_password(password)
        except DjangoValidationError as exc:
            raise CommandError("administrator password refused: " + " ".join(exc.messages)) from exc
        user = User.objects.create_superuser(username=username, password=password, email="")
        city = (Region.objects.filter(code=settings.CITY_CODE).first() if settings.CITY_CODE else None) or (
            Region.objects.filter(parent__isnull=True).order_by("code").first()
        )
        if city is not None:
            RoleAssignment.objects.create(user=user, role=Role.ADMIN, region=city)
        self.stdout.write(f"administrator {username} created" + (f" (admin of {city.name})" if city else ""))

    def _checks(self) -> list[str]:
        from chengguan.core.workcalendar import CalendarUnknown, is_workday
        from chengguan.org.models import Region

        problems = []
        if settings.CITY_CODE and not Region.objects.filter(code=settings.CITY_CODE).exists():
            problems.append(f"CHENGGUAN_CITY_CODE={settings.CITY_CODE} but no region has that code: load the regions")
        elif not Region.objects.exists():
            problems.append("no regions loaded yet: chengguan setup --regions FILE (or chengguan grids import)")
        this_year = date.today().year
        for year in (this_year, this_year + 1):
            try:
                is_workday(date(year, 1, 2))
            except CalendarUnknown as exc:
                problems.append(str(getattr(exc, "message", "") or exc))
        if not problems:
            self.stdout.write(f"calendar known for {this_year} and {this_year + 1}")
        return problems
