"""The enforcement fixtures (body, power items, a clue and the walk helper) for the oversight tests."""

from chengguan.enforcement.tests.conftest import body, clue, items, walk  # noqa: F401


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: a journey in headless Chromium (skipped without chromium)")
