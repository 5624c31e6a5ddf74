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
    path("lan/<str:key>/mall/", views.county_template, name="county-template"),
    path(
        "lan/<str:key>/mall/<str:number>/",
        views.county_template_version,
        name="county-template-version",
    ),
    path(
        "lan/<str:key>/mall/<str:number>/forhandsvisning/",
        views.county_template_preview,
        name="county-template-preview",
    ),
    path(
        "lan/<str:key>/mall/<str:number>/publicera/",
        views.county_template_publish,
        name="county-template-publish",
    ),
    path("lokalpolisomrade/<str:key>/", views.lpo_overview, name="lpo-overview"),
    path("lansmall/", views.template_adoption, name="county-template-adoption"),
]
