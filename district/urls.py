from django.urls import path

from district import views

app_name = "district"

urlpatterns = [
    path("ping/", views.ping, name="ping"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<str:code>/", views.school_detail, name="school_detail"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
]
