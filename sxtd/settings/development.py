"""Local development: the default of manage.py, safe only on a developer's machine."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret-sxtd-tracker-key") or ""
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Serve static files straight from the source folders: no collectstatic step.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
