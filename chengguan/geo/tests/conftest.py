import pytest

from chengguan.geo.services import addresses_import
from chengguan.geo.testing import sample_csv
from chengguan.grids.testing import make_grids
from chengguan.tests_system.browser import browser, chromium  # noqa: F401 - the browser fixtures


@pytest.fixture
def grid_city(city):
    return make_grids(city)


@pytest.fixture
def gazetteer(grid_city):
    batch, _rejected = addresses_import(actor=None, data=sample_csv(), filename="sample.csv", crs="gcj02")
    return batch


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: a journey in headless Chromium (skipped without chromium)")


@pytest.fixture(autouse=True)
def _english_messages():
    """The refusals are asserted in their English source text (zh_Hans is checked by test_translations)."""
    from django.utils import translation

    with translation.override("en"):
        yield
