from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from district.models import User


class AuthenticatedRequest(HttpRequest):
    """A request from a signed-in person (LoginRequiredMiddleware guarantees it)."""

    user: User
    htmx: HtmxDetails
