"""Satisfaction URLs under /satisfaction/, namespace `cycles` (kept from before the split)."""

from django.urls import path

from cycles.satisfaction import views

app_name = "cycles"

urlpatterns = [
    path("", views.index, name="index"),
    path("survey/", views.survey, name="survey"),
    path("survey/submit/", views.survey_submit, name="survey_submit"),
    path("survey/units/<int:unit_pk>/", views.survey_save, name="survey_save"),
    path("units/<int:pk>/", views.unit_results, name="unit_results"),
    path("units/<int:pk>/report.pdf", views.unit_report_pdf, name="unit_report_pdf"),
    path("heat-map/", views.heat_map, name="heat_map"),
    path("units-rated/", views.transparency, name="transparency"),
    path("my-answers/", views.my_answers, name="my_answers"),
    path("response-rates/", views.response_rates, name="response_rates"),
    path("ratings/<int:request_pk>/", views.rate_request, name="rate_request"),
]
