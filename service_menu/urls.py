from django.urls import path

from service_menu import views

app_name = "service_menu"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("catalog.pdf", views.catalog_pdf, name="catalog_pdf"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("services/<int:service_pk>/request/", views.request_create, name="request_create"),
    path("units/<int:unit_pk>/", views.unit_menu, name="unit_menu"),
    path("units/<int:unit_pk>/menu.pdf", views.menu_pdf, name="menu_pdf"),
    path("units/<int:unit_pk>/draft/", views.menu_start_draft, name="menu_start_draft"),
    path("units/<int:unit_pk>/measures/", views.unit_measures, name="unit_measures"),
    path("menus/<int:pk>/", views.menu_version, name="menu_version"),
    path("menus/<int:pk>/publish/", views.menu_publish, name="menu_publish"),
    path("menus/<int:menu_pk>/services/new/", views.service_edit, name="service_create"),
    path("menus/<int:menu_pk>/services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("menus/<int:menu_pk>/services/<int:pk>/remove/", views.service_remove, name="service_remove"),
    path("from-visit/<int:visit_pk>/", views.request_from_visit, name="request_from_visit"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/deliveries/", views.delivery_add, name="delivery_add"),
    path("requests/<int:pk>/<str:action>/", views.request_action, name="request_action"),
    path("workspace/", views.workspace, name="workspace"),
    path("schools/<str:code>/", views.school_360, name="school_360"),
]
