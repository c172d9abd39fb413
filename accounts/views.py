from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .services import token_create, token_revoke


@login_required
def token_view(request: HttpRequest) -> HttpResponse:
    """A person's own API token: create (or replace) it, shown once; revoke it."""
    key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if token_revoke(user=request.user):  # type: ignore[arg-type]
                messages.success(request, _("Your API token was revoked."))
            return redirect("account-token")
        key = token_create(user=request.user)  # type: ignore[arg-type]
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/token.html", {"token": token, "key": key})


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes's answer to a locked username and address, in the reader's language."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
