"""The address a request came from, as django-axes counts failed logins by it."""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the
    entry the outermost of them wrote into X-Forwarded-For.

    Each proxy appends the address it was reached from, so the last TRUSTED_PROXY_COUNT
    entries are written by proxies we run and anything left of them by the client, who may
    write what it likes: only the entry at that position is believed. Without proxies the
    header is ignored, or a guesser would give each attempt a new address. Behind a proxy,
    REMOTE_ADDR is the proxy's for everyone, and a lockout by (username, address) would lock
    that username out for all.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies == 0 or not forwarded.strip():
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    # Fewer entries than proxies: the leftmost, as DRF's NUM_PROXIES reads it. The count must
    # be the proxies every request passes, or one sent past the outer ones picks its address.
    candidate = entries[-min(proxies, len(entries))]
    try:
        return str(ip_address(candidate))
    except ValueError:
        # Not an address (a proxy configured to write "unknown"): django-axes stores the
        # address in an address column, so fall back to the peer rather than fail the login.
        return remote
