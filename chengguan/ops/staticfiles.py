"""Static files for `chengguan serve`: whitenoise's compressed manifest storage (hashed names, gzip, served
with a one-year immutable cache header), falling back to the plain name when `collectstatic` has not run yet
(tests, development) or a file is missing from the manifest, so a page never fails over a static URL."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        try:
            return super().stored_name(name)
        except ValueError:
            return name


def manifest_exists() -> bool:
    from django.conf import settings

    return (settings.STATIC_ROOT / "staticfiles.json").exists()
