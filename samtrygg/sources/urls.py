from django.urls import path

from samtrygg.sources import views

urlpatterns = [
    path("", views.source_status, name="source-status"),
    path("polishandelser/", views.police_event_list, name="police-event-list"),
    path("polishandelser/karta.geojson", views.police_event_map, name="police-event-map"),
    path("polishandelser/<int:pk>/", views.police_event_detail, name="police-event-detail"),
    path("brottsstatistik/", views.crime_statistics, name="crime-statistics"),
]
