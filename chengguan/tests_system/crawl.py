"""Crawl the pages a signed-in persona can reach from the home page, collecting links and forms."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/", "/accounts/logout")
# Admin pages are many and generic (Django's own); visit the index and one changelist per app at most.
MAX_PAGES = 60
PER_VIEW = 2  # /cases/1/ and /cases/2/ are the same view: two of each prove its headers and forms


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict = field(default_factory=dict)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": {}})
        elif tag in ("input", "select", "textarea", "button") and self.forms and a.get("name"):
            self.forms[-1]["fields"].setdefault(a["name"], a.get("value") or "")
        elif tag == "script" and not a.get("src") and a.get("type", "text/javascript") in ("text/javascript", "module"):
            self.inline_scripts += 1
        for name, _value in attrs:
            if name.startswith("on") and name not in ("on",):
                self.inline_scripts += 1


def parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def _local(url: str, base: str) -> str | None:
    absolute = urljoin("http://testserver" + base, url)
    parts = urlsplit(absolute)
    if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIP_PREFIXES):
        return None
    return path


def _view_of(path: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return path


def crawl(client, start: str = "/", limit: int = MAX_PAGES):
    """Breadth-first GET of same-site HTML pages, at most PER_VIEW pages per view. Returns (responses by path,
    forms found)."""
    seen: dict[str, object] = {}
    forms: list[Form] = []
    queue = [start]
    admin_seen = 0
    per_view: dict[str, int] = {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        view = _view_of(path)
        if per_view.get(view, 0) >= PER_VIEW:
            continue
        per_view[view] = per_view.get(view, 0) + 1
        if path.startswith("/admin/"):
            # Django's admin: the index and its first level are enough to prove headers and CSRF.
            if path.count("/") > 4 or "?" in path or admin_seen >= 10:
                continue
            admin_seen += 1
        response = client.get(path)
        seen[path] = response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = parse(response.content.decode("utf-8", "replace"))
        for href in page.links:
            local = _local(href, path)
            if local and local not in seen and local not in queue:
                queue.append(local)
        for f in page.forms:
            action = _local(f["action"], path) if f["action"] else path
            if f["action"].startswith(("/api/", "/i18n/", "/accounts/logout")):
                action = urlsplit(f["action"]).path
            if action:
                forms.append(Form(page=path, action=action, method=f["method"], fields=f["fields"]))
    return seen, forms
