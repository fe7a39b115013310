"""The `chengguan` command: Django's management commands with our settings.

`chengguan --help` lists our own commands first; `chengguan demo` sets up var/ and a demo city.
"""

import os
import secrets
import sys

OUR_APPS_PREFIX = "chengguan."


def _prepare_var_dir(argv: list[str]) -> None:
    """`demo` works on a fresh machine: create var/ and a generated secret before settings load."""
    if len(argv) > 1 and argv[1] == "demo" and not os.environ.get("CHENGGUAN_SECRET_KEY"):
        from chengguan.paths import var_dir as configured_var_dir

        var_dir = configured_var_dir()
        (var_dir / "media").mkdir(parents=True, exist_ok=True)
        secret_file = var_dir / "secret_key"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(50))
            secret_file.chmod(0o600)


def _print_our_help() -> None:
    from django.core.management import get_commands, load_command_class

    ours = sorted(name for name, app in get_commands().items() if app.startswith(OUR_APPS_PREFIX))
    print("usage: chengguan <command> [options]\n")
    print("Chengguan commands:")
    for name in ours:
        app = get_commands()[name]
        try:
            text = (load_command_class(app, name).help or "").strip().splitlines()[0]
        except Exception:  # noqa: BLE001 - a broken command must not break --help
            text = ""
        print(f"  {name:<14} {text}")
    print("\nEvery Django management command works too (migrate, createsuperuser, runserver, ...).")
    print("`chengguan <command> --help` explains one command.")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "chengguan"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings")
    _prepare_var_dir(argv)
    if len(argv) == 1 or argv[1] in ("-h", "--help", "help"):
        # Help must work before any configuration exists.
        os.environ.setdefault("CHENGGUAN_SECRET_KEY", "help-only-not-a-secret")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        print(f"chengguan: {exc}", file=sys.stderr)
        sys.exit(2)
    if len(argv) == 1 or argv[1] in ("-h", "--help", "help") and len(argv) == 2:
        _print_our_help()
        return
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(argv)
    except OperationalError as exc:
        # A missing or unreachable database is a configuration problem: one readable line, no traceback.
        print(f"chengguan: {database_problem(exc)}", file=sys.stderr)
        sys.exit(2)


def database_problem(exc) -> str:
    """One line naming the database the settings point at and what went wrong with it."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    reason = (str(exc).strip().splitlines() or ["unknown error"])[-1].strip()
    if db["ENGINE"].endswith("sqlite3"):
        where = f"SQLite file {db['NAME']}"
        hint = "check CHENGGUAN_DATABASE_URL or CHENGGUAN_VAR_DIR (the directory must exist and be writable)"
    else:
        where = f"PostgreSQL database {db['NAME']!r} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        hint = "create it and its role (docs/operations.md) or fix CHENGGUAN_DATABASE_URL"
        if "does not exist" in reason and "database" in reason:
            hint = f"create it first: sudo -u postgres createdb -O <role> {db['NAME']} (docs/operations.md)"
    return f"cannot use the {where}: {reason}; {hint}"


if __name__ == "__main__":
    main()
