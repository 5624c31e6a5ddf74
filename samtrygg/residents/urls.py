from django.urls import URLPattern, URLResolver, path, re_path

from samtrygg.residents import open311, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("p/<str:kommunkod>/tips/", views.public_tip, name="public-tip"),
    path("p/<str:kommunkod>/tips/karta.geojson", views.public_tip_map, name="public-tip-map"),
    path("p/<str:kommunkod>/fakta/", views.public_facts, name="public-facts"),
    path("p/<str:kommunkod>/fakta/<str:pk>/", views.public_fact, name="public-fact"),
    path("tips/", views.tip_list, name="tip-list"),
    path("tips/installningar/", views.resident_settings, name="resident-settings"),
    path("tips/<str:pk>/", views.tip_detail, name="tip-detail"),
    path("faktasvar/", views.claim_list, name="claim-list"),
    path("faktasvar/nytt/", views.claim_create, name="claim-create"),
    path("faktasvar/<str:pk>/", views.claim_detail, name="claim-detail"),
    path("open311/v2/", open311.discovery, {"fmt": "json"}, name="open311-root"),
    re_path(
        r"^open311/v2/discovery\.(?P<fmt>[a-z]+)$", open311.discovery, name="open311-discovery"
    ),
    re_path(
        r"^open311/v2/services\.(?P<fmt>[a-z]+)$", open311.service_list, name="open311-services"
    ),
    re_path(
        r"^open311/v2/services/(?P<service_code>[\w-]+)\.(?P<fmt>[a-z]+)$",
        open311.service_definition,
        name="open311-service",
    ),
    re_path(
        r"^open311/v2/requests\.(?P<fmt>[a-z]+)$", open311.requests_view, name="open311-requests"
    ),
    re_path(
        r"^open311/v2/requests/(?P<service_request_id>[^/.]+)\.(?P<fmt>[a-z]+)$",
        open311.request_detail,
        name="open311-request",
    ),
]
