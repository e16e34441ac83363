from django.urls import path

from toolbox import views

app_name = "toolbox"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.add, name="add"),
    path("share/", views.share_many, name="share_many"),
    path("<uuid:item_id>/", views.item_detail, name="item"),
    path("<uuid:item_id>/edit/", views.edit, name="edit"),
    path("<uuid:item_id>/delete/", views.delete, name="delete"),
    path("<uuid:item_id>/share/", views.share, name="share"),
    path("<uuid:item_id>/shares/<uuid:recipient_id>/revoke/", views.revoke, name="revoke"),
    path("<uuid:item_id>/file/", views.file, name="file"),
]
