"""The `chengguan` command: Django's management commands with our settings.

`chengguan --help` lists our own commands first; `chengguan demo` sets up var/ and a demo city.
"""

import os
import secrets
import sys
from pathlib import Path

OUR_APPS_PREFIX = "chengguan."


def _prepare_var_dir(argv: list[str]) -> None:
    """`demo` works on a fresh machine: create var/ and a generated secret before settings load."""
    if len(argv) > 1 and argv[1] == "demo" and not os.environ.get("CHENGGUAN_SECRET_KEY"):
        var_dir = Path(os.environ.get("CHENGGUAN_VAR_DIR", Path.cwd() / "var"))
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

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
