"""`{% load nav_tags %}{% if user|may_open:"enforcement:approvals" %}…{% endif %}`: show a link only to those who
may follow it (the roles come from the apps' navigation.py, NAVIGATION entries and ACCESS)."""

from django import template

from chengguan.core.navigation import may_open as _may_open
from chengguan.core.navigation import portal_links as _portal_links

register = template.Library()


@register.filter
def may_open(user, url_name):
    return _may_open(user, url_name)


@register.simple_tag
def portal_links():
    """`{% portal_links as links %}`: the other apps' public pages (PORTAL in their navigation.py)."""
    return _portal_links()
