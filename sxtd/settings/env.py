"""Strict readers for settings taken from the environment.

A wrong value stops start-up with a message naming the variable, instead of
falling back silently to a default that would, say, turn DEBUG on in production.
"""

import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_required(name: str) -> str:
    value = env_str(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set for this configuration.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of: true, false, 1, 0, yes, no, on, off."
    )


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole number of at least ``minimum``: every count and size here is one, and a
    negative size would refuse every upload without saying why."""
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} must be {minimum} or more.")
    return number


def env_decimal(name: str, default: Decimal) -> Decimal:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number.") from None
    if not number.is_finite() or number < 0:
        raise ImproperlyConfigured(f"{name}={value!r} must be a number of zero or more.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of a fixed set of words, read case-insensitively and returned as ``choices`` spell it."""
    value = env_str(name)
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _masked(url: str) -> str:
    """``url`` with its password replaced by ``***`` (``user:***@host``), for messages that
    repeat it: they end up in the log of every container.

    The user and password are what comes before the last ``@`` of the whole value, not only
    of what urlsplit takes for the host: a password with an unescaped ``/``, ``?`` or ``#``,
    the kind that makes a URL fail to parse, would otherwise be read as a path and shown.
    """
    head, separator, rest = url.partition("://")
    if not separator:
        head, rest = "", url
    userinfo, at, host = rest.rpartition("@")
    user, colon, _password = userinfo.partition(":")
    if not at or not colon:
        return url
    return f"{head}{separator}{user}:***@{host}"


def database_from_url(name: str, url: str, base_dir: Path) -> dict[str, object]:
    """Turn DATABASE_URL into a Django DATABASES entry.

    Accepts ``postgres://``/``postgresql://`` (psycopg 3) and ``sqlite:///path``.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "sqlite":
        # sqlite:///relative.sqlite3 is relative to the project; sqlite:////abs is absolute.
        raw = unquote(parts.path) if parts.netloc == "" else ""
        path = "/" + raw.lstrip("/") if raw.startswith("//") else raw[1:]
        if not path.strip("/"):
            raise ImproperlyConfigured(
                f"{name}={_masked(url)!r} names no SQLite file; write "
                "sqlite:///relative/path.sqlite3 or sqlite:////absolute/path.sqlite3."
            )
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(base_dir / path)}
    if scheme in {"postgres", "postgresql"}:
        database = unquote(parts.path.lstrip("/"))
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}={_masked(url)!r} has a port that is not a number."
            ) from None
        if not parts.hostname or not database:
            raise ImproperlyConfigured(
                f"{name}={_masked(url)!r} must name a host and a database: "
                "postgresql://user:password@host:5432/database."
            )
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname,
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"{name}={_masked(url)!r} has an unsupported scheme {parts.scheme!r}; "
        "use postgresql:// or sqlite:///."
    )


def redis_url(name: str) -> str | None:
    url = env_str(name)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}={_masked(url)!r} is not a Redis URL; write redis://host:6379/0."
        )
    return url


def site_url(name: str, default: str) -> str:
    """The address people reach the site at, without a trailing slash: links in mails are
    written from it, since a worker has no request to take the host from."""
    url = env_str(name, default) or default
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        # Without its scheme, a link in a plain-text mail is not one a mail client opens.
        raise ImproperlyConfigured(
            f"{name}={_masked(url)!r} is not an absolute http(s) address, which the links in "
            "the mails need: write the address people open the site at with its scheme, "
            "https://sxtd.example (or with a path, https://example.org/sxtd)."
        )
    return url.rstrip("/")


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    user: str
    password: str
    use_tls: bool  # STARTTLS after connecting
    use_ssl: bool  # TLS from the start


# Scheme: default port, STARTTLS, TLS from the start. "smtps" is left out: tools disagree
# on whether it means STARTTLS or TLS from the start.
_SMTP_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "smtp+ssl": (465, False, True),
}


def smtp_url(name: str) -> SmtpServer | None:
    """The mail server of an ``smtp://user:password@host:port`` URL (``smtp+tls://`` for
    STARTTLS, ``smtp+ssl://`` for TLS from the start); None when the variable is unset."""
    url = env_str(name)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in _SMTP_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}={_masked(url)!r} is not a mail server URL; write smtp://host:25, "
            "smtp+tls://user:password@host:587 or smtp+ssl://user:password@host:465."
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={_masked(url)!r} has a port that is not a number."
        ) from None
    default_port, use_tls, use_ssl = _SMTP_SCHEMES[parts.scheme]
    return SmtpServer(
        host=parts.hostname,
        port=port or default_port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )
