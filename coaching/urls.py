from django.contrib.auth.decorators import login_not_required
from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("coaches/", views.coaches, name="coaches"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/new/offline-data.json", views.visit_form_data, name="visit_form_data"),
    path("visits/next-step-row/", views.next_step_row, name="next_step_row"),
    path("visits/next-step-removed/", views.next_step_removed, name="next_step_removed"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/reflection/", views.visit_reflect, name="visit_reflect"),
    path("visits/<int:pk>/summary.pdf", views.visit_pdf, name="visit_pdf"),
    path("next-steps/<int:pk>/done/", views.next_step_toggle, name="next_step_toggle"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/confirm/", views.goal_confirm, name="goal_confirm"),
    path("goals/<int:pk>/carry-over/", views.goal_carry_over, name="goal_carry_over"),
    path("schools/<str:code>/growth/", views.growth, name="growth"),
    path("schools/<str:code>/growth.pdf", views.growth_pdf, name="growth_pdf"),
    path("calendar/", views.calendar_settings, name="calendar"),
    # The feed is read by calendar programs, which cannot sign in: the secret token is the key.
    path("calendar/<str:token>.ics", login_not_required(views.calendar_feed), name="calendar_feed"),
]
