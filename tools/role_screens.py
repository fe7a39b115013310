"""Screenshots of each role's home, queue and case page at desktop and phone size, in Chinese, from a running
demo (`chengguan demo`): signs in on the login page as each demo user and saves PNGs under artifacts/roles/.

    python tools/role_screens.py [--url http://127.0.0.1:8000] [--out artifacts/roles]

Needs Debian's chromium + chromium-driver and selenium (the test extras). Prints one line per page with its
title and whether the page scrolls sideways."""

import argparse
import re
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = "Demo@2026"
DESKTOP, PHONE = (1366, 900), (390, 844)
# role → (queue, a case-page finder: the first link on the queue page matching this pattern)
ROLES = {
    "supervisor": ("/m/", r"/m/case/\d+/"),
    "operator": ("/cases/queue/accept/", r"/cases/\d+/"),
    "shift_leader": ("/cases/queue/filing/", r"/cases/\d+/"),
    "dispatcher": ("/cases/queue/dispatch/", r"/cases/\d+/"),
    "department_handler": ("/cases/queue/department/", r"/cases/\d+/"),
    "officer": ("/enforcement/", r"/enforcement/cases/\d+/"),
    "assistant": ("/enforcement/", r"/enforcement/cases/\d+/"),
    "legal_reviewer": ("/enforcement/review/", r"/enforcement/cases/\d+/"),
    "leader": ("/cases/", r"/cases/\d+/"),
    "admin": ("/cases/", r"/cases/\d+/"),
    # the light roles (issue #20): their own pages only
    "volunteer": ("/participation/volunteer/", None),
    "social_supervisor": ("/participation/outcomes/", r"/participation/outcomes/\d+/"),
    "police": ("/enforcement/police/", None),
}


def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def size(d, wh, phone):
    d.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": wh[0], "height": wh[1], "deviceScaleFactor": 1, "mobile": phone},
    )
    d.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": phone})


def sign_in(d, url, username):
    d.delete_all_cookies()
    d.get(f"{url}/accounts/login/")
    d.find_element(By.ID, "id_username").send_keys(username)
    d.find_element(By.ID, "id_password").send_keys(PASSWORD)
    d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(d, 30).until(lambda drv: "/accounts/login/" not in drv.current_url)
    WebDriverWait(d, 30).until(lambda drv: drv.execute_script("return document.readyState") == "complete")


def first_link(d, pattern):
    for a in d.find_elements(By.CSS_SELECTOR, "main a[href]"):
        href = a.get_attribute("href") or ""
        if re.search(pattern + "$", href.split("?")[0]):
            return href
    return None


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="artifacts/roles")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    d = driver()
    failures = 0
    try:
        for role, (queue, case_pattern) in ROLES.items():
            for label, wh, phone in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
                size(d, wh, phone)
                sign_in(d, args.url, role)
                pages = [("home", d.current_url)]
                d.get(args.url + queue)
                pages.append(("queue", d.current_url))
                case = first_link(d, case_pattern) if case_pattern else None
                if case is None and case_pattern and case_pattern.startswith(("/cases", "/m/", "/enforcement")):
                    # an empty queue: a case from the role's list instead
                    d.get(args.url + ("/enforcement/" if "enforcement" in case_pattern else "/cases/"))
                    case = first_link(d, case_pattern)
                if case:
                    pages.append(("case", case))
                for name, page in pages:
                    d.get(page)
                    wide = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
                    path = out / f"{role}-{name}-{label}.png"
                    d.save_screenshot(str(path))
                    title = d.title
                    failures += wide > 0
                    note = f"  WIDER THAN THE SCREEN by {wide}px" if wide > 0 else ""
                    print(f"{role:<20} {name:<6} {label:<8} {page.replace(args.url, ''):<40} {title}{note}")
    finally:
        d.quit()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
