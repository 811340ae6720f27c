"""The profile page where a person creates and revokes their API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import services
from api.forms import TokenForm
from api.models import ApiToken
from district.http import AuthenticatedRequest


@never_cache
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """List the person's tokens; a new token's secret is shown once, in this response only."""
    form = TokenForm(request.POST or None)
    created = None
    secret = ""
    if request.method == "POST" and form.is_valid():
        created, secret = services.token_create(
            user=request.user, name=form.cleaned_data["name"], expires_in_days=form.expires_in_days()
        )
        form = TokenForm()
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "created": created,
        "secret": secret,
        "docs_url": request.build_absolute_uri("/api/v1/docs"),
    }
    return render(request, "api/tokens.html", context, status=201 if created else 200)


@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Another person's token is a 404: its existence is none of this person's business.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer opens the API.")
    return redirect("api_tokens")
