"""The home page menu: each app may declare `NAVIGATION = [(label, url_name, roles), ...]` in `navigation.py`.

`roles` is a set of role names allowed to see the entry, or None for every signed-in user.
"""

import importlib

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from chengguan.org.scope import sees_everything, user_roles


def menu_for(user) -> list[dict]:
    roles = user_roles(user)
    entries = []
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.navigation":
                raise
            continue
        for label, url_name, allowed in getattr(module, "NAVIGATION", []):
            if allowed is not None and not (roles & set(allowed)) and not sees_everything(user):
                continue
            try:
                entries.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return entries
