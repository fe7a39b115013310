from django.core.management.base import BaseCommand, CommandError

from chengguan.core.errors import DomainError
from chengguan.org.models import ApiToken, User
from chengguan.org.services import token_create, token_revoke_by_prefix


class Command(BaseCommand):
    help = "Create, list or revoke API bearer tokens (only their SHA-256 is stored)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="")
        create.add_argument("--days", type=int, default=None, help="lifetime in days (0 = no expiry)")
        listing = sub.add_parser("list", help="list tokens")
        listing.add_argument("--user")
        revoke = sub.add_parser("revoke", help="revoke tokens by their 8-character prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user named {options['user']!r}")
            _token, key = token_create(user=user, name=options["name"], days=options["days"])
            self.stdout.write(key)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("created_at")
            if options.get("user"):
                tokens = tokens.filter(user__username=options["user"])
            for t in tokens:
                state = "revoked" if t.revoked_at else "active"
                self.stdout.write(
                    f"{t.prefix}  {t.user.username:<20} {state:<8} expires {t.expires_at or '-'}  {t.name}"
                )
        else:
            try:
                count = token_revoke_by_prefix(prefix=options["prefix"])
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"revoked {count} token(s)")
