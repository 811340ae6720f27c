from django.urls import path

from service_menu.views import measures, menus, requests

app_name = "service_menu"

urlpatterns = [
    path("", menus.catalog, name="catalog"),
    path("catalog.pdf", menus.catalog_pdf, name="catalog_pdf"),
    path("services/<int:pk>/", menus.service_detail, name="service_detail"),
    path("services/<int:service_pk>/request/", requests.request_create, name="request_create"),
    path("units/<int:unit_pk>/", menus.unit_menu, name="unit_menu"),
    path("units/<int:unit_pk>/menu.pdf", menus.menu_pdf, name="menu_pdf"),
    path("units/<int:unit_pk>/draft/", menus.menu_start_draft, name="menu_start_draft"),
    path("units/<int:unit_pk>/measures/", measures.unit_measures, name="unit_measures"),
    path("menus/<int:pk>/", menus.menu_version, name="menu_version"),
    path("menus/<int:pk>/publish/", menus.menu_publish, name="menu_publish"),
    path("menus/<int:menu_pk>/services/new/", menus.service_edit, name="service_create"),
    path("menus/<int:menu_pk>/services/<int:pk>/edit/", menus.service_edit, name="service_edit"),
    path("menus/<int:menu_pk>/services/<int:pk>/remove/", menus.service_remove, name="service_remove"),
    path("from-visit/<int:visit_pk>/", requests.request_from_visit, name="request_from_visit"),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/deliveries/", requests.delivery_add, name="delivery_add"),
    path("requests/<int:pk>/<str:action>/", requests.request_action, name="request_action"),
    path("workspace/", requests.workspace, name="workspace"),
    path("schools/<str:code>/", measures.school_360, name="school_360"),
]
