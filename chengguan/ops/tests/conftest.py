from chengguan.tests_system.conftest import migrated_template  # noqa: F401 (process tests clone it)
