from django.urls import path

from accounts import support_views

app_name = "support"

urlpatterns = [
    path("", support_views.users, name="users"),
    path("users/<uuid:uuid>/", support_views.user_detail, name="user"),
    path("monitoring/", support_views.monitoring, name="monitoring"),
]
