"""`{% load nav_tags %}{% if user|may_open:"enforcement:approvals" %}…{% endif %}`: show a link only to those who
may follow it (the roles come from the apps' navigation.py, NAVIGATION entries and ACCESS)."""

from django import template

from chengguan.core.navigation import may_open as _may_open

register = template.Library()


@register.filter
def may_open(user, url_name):
    return _may_open(user, url_name)
