"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("CHENGGUAN_SECRET_KEY", "test-only-not-a-secret")

from chengguan.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("CHENGGUAN_TEST_MEDIA_ROOT", "/tmp/chengguan-test-media"))  # noqa: F405
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
LOGGING["loggers"]["chengguan"]["level"] = "WARNING"  # noqa: F405
# Static files from the apps (whitenoise's finders), never a manifest left in var/ by a local `chengguan serve`.
STATIC_ROOT = Path(os.environ.get("CHENGGUAN_TEST_MEDIA_ROOT", "/tmp/chengguan-test-media")).with_name("chengguan-test-static-unused")  # noqa: F405
