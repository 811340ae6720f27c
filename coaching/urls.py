from django.contrib.auth.decorators import login_not_required
from django.urls import path

from coaching.views import dashboards, goals, visits

app_name = "coaching"

urlpatterns = [
    path("", dashboards.dashboard, name="dashboard"),
    path("coaches/", dashboards.coaches, name="coaches"),
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/new/offline-data.json", visits.visit_form_data, name="visit_form_data"),
    path("visits/next-step-row/", visits.next_step_row, name="next_step_row"),
    path("visits/next-step-removed/", visits.next_step_removed, name="next_step_removed"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/reflection/", visits.visit_reflect, name="visit_reflect"),
    path("visits/<int:pk>/summary.pdf", visits.visit_pdf, name="visit_pdf"),
    path("next-steps/<int:pk>/done/", visits.next_step_toggle, name="next_step_toggle"),
    path("goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/confirm/", goals.goal_confirm, name="goal_confirm"),
    path("goals/<int:pk>/carry-over/", goals.goal_carry_over, name="goal_carry_over"),
    path("schools/<str:code>/growth/", goals.growth, name="growth"),
    path("schools/<str:code>/growth.pdf", goals.growth_pdf, name="growth_pdf"),
    path("calendar/", dashboards.calendar_settings, name="calendar"),
    # The feed is read by calendar programs, which cannot sign in: the secret token is the key.
    path("calendar/<str:token>.ics", login_not_required(dashboards.calendar_feed), name="calendar_feed"),
]
