"""The district's printed service catalog, built by the task worker (see the documents app)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from district.models import SchoolYear, Unit
from district.pdf import PAGE_SIZES, render_pdf
from documents.kinds import DocumentKind, Params, register, table_version
from service_menu import selectors
from service_menu.models import ContentArea, Menu, Service, Tier


def _catalog_inputs(params: Params) -> Iterable[object]:
    return [table_version(model) for model in (Service, Menu, Unit, Tier, ContentArea, SchoolYear)]


def _catalog_build(params: Params) -> bytes:
    services = list(selectors.catalog_services().order_by("menu__unit__name", "title"))
    groups = selectors.catalog_grouped(services)
    return render_pdf(
        "service_menu/pdf/catalog.html",
        {
            "groups": groups,
            "tier_list": selectors.tiers_in(groups),
            "year": SchoolYear.objects.current(),
            "title": "District service catalog",
            "page_size": PAGE_SIZES[params["size"]],
        },
    )


def _anyone_signed_in(user: Any, params: Params) -> bool:
    return bool(user.is_authenticated and user.is_active)


CATALOG = register(
    DocumentKind(
        name="service_catalog",
        title=lambda params: "District service catalog",
        filename=lambda params: "service-catalog.pdf",
        allowed=_anyone_signed_in,
        inputs=_catalog_inputs,
        build=_catalog_build,
    )
)
