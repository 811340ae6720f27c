from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from district.roles import roles_for


def roles(request: HttpRequest) -> dict[str, Any]:
    """Expose the signed-in person's roles to templates, read only if a template asks."""
    return {"roles": SimpleLazyObject(lambda: roles_for(getattr(request, "user", None)))}
