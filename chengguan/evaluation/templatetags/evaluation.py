"""Template helpers: `{{ value|cell:column.fmt }}` prints "—" for no value, rates with %, counts with commas."""

from django import template

from ..tables import display

register = template.Library()


@register.filter
def cell(value, fmt="text"):
    return display(value, fmt)


@register.filter
def grade_class(grade):
    return f"grade grade-{grade.lower()}" if grade else "grade"


@register.simple_tag(takes_context=True)
def with_query(context, **params):
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def cells(row, table):
    """(column, value, is the link column) for each column of a table row."""
    keys = [c.key for c in table.columns]
    link_key = "name" if "name" in keys else keys[0]
    return [(c, row.get(c.key), c.key == link_key and bool(row.get("_url"))) for c in table.columns]


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
