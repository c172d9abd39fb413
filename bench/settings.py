"""The benchmark's settings: the test settings with the benchmark's URLconf."""

from sxtd.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
