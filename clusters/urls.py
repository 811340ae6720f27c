from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("<int:pk>/cluster.pdf", views.cluster_pdf, name="cluster_pdf"),
]
