"""Headless Chromium for the browser journeys and page checks (not a test module).

Debian's /usr/bin/chromium driven by selenium through /usr/bin/chromedriver — nothing is downloaded. One
browser process per test module (`chromium`, module scope); each test gets a `Browser` on it (`browser`)
that saves a screenshot and the page's HTML to `artifacts/` when the test fails. Phone and desktop sizes
are switched by device emulation (CDP), not by new browser processes: a headless window cannot be narrower
than 500 px, an emulated phone can.

Use from a test module::

    from chengguan.tests_system.browser import browser, chromium, requires_chromium  # noqa: F401
    pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
"""

import shutil
from pathlib import Path

import pytest

from .figures import artifacts_dir

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE = (390, 844)
DESKTOP = (1280, 1000)
WALL = (1920, 1080)

requires_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
    "apt-get install -y chromium chromium-driver",
)


@pytest.fixture(scope="module")
def chromium():
    pytest.importorskip("selenium", reason="selenium is not installed: pip install -e '.[test]'")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--hide-scrollbars", f"--window-size={WALL[0]},{WALL[1]}", "--lang=zh-CN",
    ):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium, live_server, request):
    b = Browser(chromium, live_server.url)
    b.desktop()
    failed = request.session.testsfailed
    yield b
    if request.session.testsfailed > failed:  # the call phase is reported before fixtures are torn down
        b.shoot(f"failed-{request.node.name}")


class Browser:
    def __init__(self, driver, url):
        self.driver, self.url = driver, url

    # --- sizes ----------------------------------------------------------------------------------------------
    def size(self, width, height, *, mobile=False, scale=1):
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile},
        )
        self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile, "maxTouchPoints": 5})

    def phone(self):
        self.size(*PHONE, mobile=True, scale=2)

    def desktop(self, width=DESKTOP[0], height=DESKTOP[1]):
        self.size(width, height)

    # --- navigation -----------------------------------------------------------------------------------------
    def get(self, path):
        self.driver.get(f"{self.url}{path}")

    def sign_in(self, user):
        """Signs a persona in by a fresh session cookie (the login page is proven once by the loop journey)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        self.get("/healthz")
        self.driver.delete_all_cookies()
        self.driver.add_cookie(
            {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
             "path": "/"}  # fmt: skip
        )

    def sign_in_on_the_page(self, username, then="/"):
        self.driver.delete_all_cookies()
        self.get(f"/accounts/login/?next={then}")
        self.css("#id_username").send_keys(username)
        self.css("#id_password").send_keys(f"pw-{username}")
        self.css(".login form button[type=submit]").click()
        self.wait(lambda d: "/accounts/login/" not in d.current_url, f"{username} could not sign in")

    def sign_out(self):
        self.driver.delete_all_cookies()

    # --- finding and waiting ----------------------------------------------------------------------------------
    def css(self, selector, within=None):
        from selenium.webdriver.common.by import By

        return (within or self.driver).find_element(By.CSS_SELECTOR, selector)

    def all(self, selector, within=None):
        from selenium.webdriver.common.by import By

        return (within or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def wait(self, condition, message, timeout=30):
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            return WebDriverWait(self.driver, timeout).until(condition)
        except TimeoutException:
            raise AssertionError(f"{message} (at {self.driver.current_url})") from None

    def select(self, selector, value, within=None):
        from selenium.webdriver.support.ui import Select

        Select(self.css(selector, within)).select_by_value(str(value))

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    # --- page health ------------------------------------------------------------------------------------------
    def console_errors(self):
        """Severe entries of the browser log since the last call (JS errors, failed requests, a missing icon)."""
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def foreign_requests(self):
        """Resources the page fetched from anywhere but this server."""
        return self.js(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(n => !n.startsWith(location.origin) && !n.startsWith('data:') && !n.startsWith('blob:'))"
        )

    def page_overflow(self):
        """How many CSS pixels the page is wider than the viewport (0 = no sideways scrolling)."""
        return self.js("return document.documentElement.scrollWidth - window.innerWidth")

    def overflowing(self):
        """Elements that stick out of the viewport on the right (for a readable failure message)."""
        return self.js(
            "const out = []; for (const e of document.body.querySelectorAll('*')) {"
            " const r = e.getBoundingClientRect();"
            " if (r.width && r.right > innerWidth + 1 && !e.closest('.table-wrap, .chart-wrap, table, .leaflet-container'))"
            "  out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +"
            "   (e.className && e.className.baseVal === undefined ? '.' + e.className.trim().split(/ +/).join('.') : '')"
            "   + ' → ' + Math.round(r.right)); }"
            " return out.slice(0, 10)"
        )

    def shoot(self, name):
        shots = artifacts_dir() / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        path = shots / f"{name}.png"
        self.driver.save_screenshot(str(path))
        path.with_suffix(".html").write_text(self.driver.page_source)
        return path
