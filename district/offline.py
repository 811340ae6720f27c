"""What the service worker may keep on a phone, and for whom (the worker is templates/offline/sw.js).

The worker keeps a response only when the server marks it with ``OFFLINE_HEADER``, naming the
person it belongs to. It keeps it in that person's own cache, serves it only while they are
the one signed in on the phone, and the cache is deleted when they sign out or someone else
signs in. Only pages and data that hold nothing private are marked: never a private note.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

OFFLINE_HEADER = "Schoolward-Offline-For"


def keep_offline[R: HttpResponse](response: R, *, request: HttpRequest) -> R:
    """Let the phone keep ``response`` for the signed-in person, to show it when offline.

    Only a whole page or data read with GET is marked: never the answer to a POST (it echoes
    what was typed, private notes included) nor an htmx fragment, nor a page showing a one-off
    message (it would be shown again at every offline visit; the phone keeps the next one).
    """
    htmx = getattr(request, "htmx", None)
    if request.method != "GET" or htmx or not request.user.is_authenticated or response.status_code != 200:
        return response
    if getattr(messages.get_messages(request), "used", False):
        return response
    response[OFFLINE_HEADER] = str(request.user.pk)
    patch_cache_control(response, private=True)
    return response
