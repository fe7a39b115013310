"""The staff menu: each app may declare `NAVIGATION` in its `navigation.py`.

An entry is `(label, url_name, roles)` or `(label, url_name, roles, count)` (`url_name` may end in a query, `"cases:list?overdue=1"`):
- `roles` is a set of role names allowed to see the entry, or None for every signed-in staff user (not a user
  who holds only light roles — volunteer, social supervisor, police liaison — whose apps name them explicitly);
- `count`, when given, is a function `count(user, now) -> int` (the items waiting in that queue; the menu shows
  the number beside the label and the home page lists the entries with work first). Its name `alert` marks
  counts that are warnings (overdue): the menu shows them red.

The menu is on every staff page (base.html) and is refreshed without reloading (`nav_counts`, htmx polling);
the page's script announces a queue that grew (and plays a short tone when the user switched sound on).
"""

import importlib

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from chengguan.org.models import LIGHT_ROLES
from chengguan.org.scope import sees_everything, user_roles


def _light_only(roles: set) -> bool:
    return bool(roles) and roles <= LIGHT_ROLES


def _modules():
    for app in settings.LOCAL_APPS:
        try:
            yield importlib.import_module(f"{app}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.navigation":
                raise


def _entries():
    for module in _modules():
        yield from getattr(module, "NAVIGATION", [])


def menu_for(user, *, counts: bool = True, now=None) -> list[dict]:
    """The entries `user` may open, in app order; with `counts`, each queue entry carries its waiting count."""
    if not user or not user.is_authenticated:
        return []
    roles = user_roles(user)
    everything = sees_everything(user)
    now = now or timezone.now()
    light = _light_only(roles) and not everything
    entries = []
    for label, url_name, allowed, *rest in _entries():
        if allowed is not None and not (roles & set(allowed)) and not everything:
            continue
        if allowed is None and light:
            continue
        name, _, query = url_name.partition("?")
        try:
            url = reverse(name) + (f"?{query}" if query else "")
        except NoReverseMatch:
            continue
        entry = {"label": label, "url": url, "name": url_name, "count": None, "alert": False}
        if rest and rest[0] is not None:
            entry["alert"] = getattr(rest[0], "alert", False)
            if counts:
                entry["count"] = rest[0](user, now)
        entries.append(entry)
    return entries


def work_items(user, *, now=None, limit: int = 8) -> list[dict]:
    """The next items the user should do, most urgent first: apps may declare `WORK(user, now, limit)` in
    `navigation.py`, returning dicts with `label`, `url`, `detail`, `light` ("red"/"yellow"/"green"/None) and
    `rank` (a sort key, smaller first)."""
    if not user or not user.is_authenticated:
        return []
    now = now or timezone.now()
    items = []
    for module in _modules():
        work = getattr(module, "WORK", None)
        if work:
            items.extend(work(user, now, limit))
    items.sort(key=lambda i: i["rank"])
    return items[:limit]


def may_open(user, url_name: str) -> bool:
    """Whether `user` may open the page `url_name`, by the roles its app declares (a NAVIGATION entry, or
    `ACCESS = {url_name: roles}` in navigation.py for pages outside the menu). Undeclared pages: True."""
    declared = None
    for module in _modules():
        access = getattr(module, "ACCESS", {})
        if url_name in access:
            declared = set(access[url_name])
        for _label, name, allowed, *_rest in getattr(module, "NAVIGATION", []):
            if name.partition("?")[0] == url_name:
                declared = (declared or set()) | set(allowed) if allowed is not None else None
                break
    if declared is None:
        return bool(user and user.is_authenticated)
    return sees_everything(user) or bool(user_roles(user) & declared)


def portal_links() -> list[dict]:
    """The citizen portal's links to other apps' public pages: apps declare `PORTAL = [(label, url_name)]` in
    navigation.py (the public app lists them on its home page without importing those apps)."""
    links = []
    for module in _modules():
        for label, url_name in getattr(module, "PORTAL", []):
            try:
                links.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return links


def phone_home(user) -> str | None:
    """The phone page a user lands on after signing in on a phone: apps declare `PHONE_HOME = {role: url_name}`
    in navigation.py (the first app's entry for any of the user's roles wins)."""
    roles = user_roles(user)
    for module in _modules():
        for role, url_name in getattr(module, "PHONE_HOME", {}).items():
            if role in roles:
                return reverse(url_name)
    return None


def is_staff_user(user) -> bool:
    """Whether the user works on the platform (has a role or is a superuser): such users get the staff menu."""
    return bool(user and user.is_authenticated and (user.is_superuser or user_roles(user)))
