"""Cycle-of-inquiry URLs under /cycles/, namespace `inquiry`."""

from django.urls import path

from cycles.inquiry import views

app_name = "inquiry"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("packet.pdf", views.district_packet_pdf, name="packet_pdf"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("units/<int:unit_pk>/", views.unit_cycles, name="unit_cycles"),
    path("units/<int:unit_pk>/new/", views.cycle_edit, name="cycle_create"),
    path("units/<int:unit_pk>/cabinet.pdf", views.unit_cabinet_pdf, name="unit_pdf"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("<int:cycle_pk>/actions/new/", views.action_edit, name="action_create"),
    path("<int:cycle_pk>/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/check-in/", views.action_check_in, name="check_in"),
]
