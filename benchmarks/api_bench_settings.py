"""Settings for ``bench_api.py``: the project's own, with a bare view beside the API."""

from samtrygg.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.api_bench_urls"
