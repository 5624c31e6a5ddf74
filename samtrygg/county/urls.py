from django.urls import URLPattern, URLResolver, path

from samtrygg.county import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("lan/", views.home, name="county-home"),
    path("lan/<str:key>/", views.county_compliance, name="county-compliance"),
    path(
        "lan/<str:key>/efterlevnad.xlsx",
        views.county_compliance_xlsx,
        name="county-compliance-xlsx",
    ),
    path("lan/<str:key>/jamforelser/", views.county_comparisons, name="county-comparisons"),
    path("lokalpolisomrade/<str:key>/", views.lpo_overview, name="lpo-overview"),
]
