"""`chengguan hotline add CODE NAME --webhook URL`: register a hotline system; prints its API token and the
webhook signing secret once. `hotline map CODE CATEGORY MATTER` maps one of its categories to a matter."""

from django.core.management.base import BaseCommand, CommandError

from chengguan.catalog.services import matter_for_code
from chengguan.core.errors import DomainError
from chengguan.public.models import HotlineSystem
from chengguan.public.services.hotline import hotline_category_map, hotline_system_create, subscriber_create


class Command(BaseCommand):
    help = "Hotline systems (12345 / 12319): register one with its webhook, map its categories, list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a hotline system; prints its token and webhook secret")
        add.add_argument("code")
        add.add_argument("name")
        add.add_argument("--webhook", default="", help="URL told about every status change")
        add.add_argument("--default-matter", default="", help="matter code for categories not mapped")
        mapping = sub.add_parser("map", help="map a hotline category to a matter")
        mapping.add_argument("code", help="the hotline's code")
        mapping.add_argument("category")
        mapping.add_argument("matter", help="our matter code")
        mapping.add_argument("--name", default="")
        sub.add_parser("list", help="list hotline systems")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _add(self, *, code, name, webhook, default_matter, **options):
        matter = matter_for_code(default_matter) if default_matter else None
        system, token = hotline_system_create(code=code, name=name, default_matter=matter)
        self.stdout.write(f"hotline {system.code}: API token {token}")
        if webhook:
            subscriber, secret = subscriber_create(system=system, name=f"{name} webhook", url=webhook)
            self.stdout.write(f"webhook {subscriber.url}: signing secret {secret}")

    def _map(self, *, code, category, matter, name, **options):
        system = HotlineSystem.objects.filter(code=code).first()
        if system is None:
            raise CommandError(f"no hotline {code}")
        row = hotline_category_map(system=system, code=category, matter=matter_for_code(matter), name=name)
        self.stdout.write(f"{system.code} {row.code} → {row.matter.code} {row.matter.name}")

    def _list(self, **options):
        for s in HotlineSystem.objects.prefetch_related("subscribers", "categories"):
            hooks = ", ".join(w.url for w in s.subscribers.all()) or "-"
            self.stdout.write(f"{s.code:<8} {s.name}  categories {s.categories.count()}  webhooks {hooks}")
