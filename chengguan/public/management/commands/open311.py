"""`chengguan open311 key create NAME`: an Open311 API key, printed once (only its SHA-256 is stored)."""

from django.core.management.base import BaseCommand, CommandError

from chengguan.core.errors import DomainError
from chengguan.public.models import Open311Key
from chengguan.public.services.open311 import open311_key_create, open311_key_revoke


class Command(BaseCommand):
    help = "Open311 GeoReport v2: create, list or revoke API keys for POST requests."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="resource", required=True)
        key = sub.add_parser("key", help="API keys")
        actions = key.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a key and print it once")
        create.add_argument("name", help="who uses the key, e.g. the client application")
        actions.add_parser("list", help="list keys")
        revoke = actions.add_parser("revoke", help="revoke a key by its 8-character prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, resource, action, **options):
        try:
            if action == "create":
                _key, raw = open311_key_create(name=options["name"])
                self.stdout.write(raw)
            elif action == "list":
                for k in Open311Key.objects.order_by("name"):
                    state = "revoked" if k.revoked_at else "active"
                    self.stdout.write(f"{k.prefix}  {state:<8} last used {k.last_used_at or '-'}  {k.name}")
            else:
                count = open311_key_revoke(prefix=options["prefix"])
                self.stdout.write(f"revoked {count} key(s)")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
