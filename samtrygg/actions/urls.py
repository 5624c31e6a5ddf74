from django.urls import path

from samtrygg.actions import effect_views, views

urlpatterns = [
    path("insatser/", views.action_list, name="action-list"),
    path("insatser/<int:pk>/", views.action_detail, name="action-detail"),
    path("insatser/effekt/", effect_views.action_effect, name="action-effect"),
    path("moten/", views.meeting_list, name="meeting-list"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("moten/<int:pk>/protokoll/<str:fmt>/", views.meeting_export, name="meeting-export"),
    path("trygghetsvandringar/", views.walk_list, name="walk-list"),
    path("trygghetsvandringar/<int:pk>/", views.walk_detail, name="walk-detail"),
    path("trygghetsvandringar/<int:pk>/karta.geojson", views.walk_geojson, name="walk-geojson"),
    path("trygghetsvandringar/<int:pk>/aterrapport/", views.walk_feedback, name="walk-feedback"),
    path(
        "trygghetsvandringar/<int:pk>/aterrapport.pdf",
        views.walk_feedback_pdf,
        name="walk-feedback-pdf",
    ),
    path("trygghetsvandringar/fynd/<int:pk>/foto.jpg", views.finding_photo, name="finding-photo"),
]
