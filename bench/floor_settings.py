"""Settings for bench/http_load.py only: the production settings plus the floor view's URLconf and rate limits
that a load generator does not trip. Never used by a deployment."""

from chengguan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
PUBLIC_RATE_LIMITS = {"open311_key": (10**9, 3600), "open311_ip": (10**9, 3600)}
