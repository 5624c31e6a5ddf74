from django.urls import path

from samtrygg.observations import views

urlpatterns = [
    path("", views.observation_list, name="observation-list"),
    path("ny/", views.report_create, name="report-create"),
    path("karta.geojson", views.observation_map_data, name="observation-map-data"),
    path("export/", views.observation_export, name="observation-export"),
    path("sammanstallning/", views.observation_summary, name="observation-summary"),
    path("<int:pk>/", views.observation_detail, name="observation-detail"),
    path("<int:pk>/andra/", views.observation_edit, name="observation-edit"),
    path("import/", views.observation_import, name="observation-import"),
    path("import/mall.<str:fmt>", views.import_template, name="import-template"),
    path("import/jobb/<str:task_id>/", views.import_job, name="import-job"),
    path("kategorier/", views.category_list, name="category-list"),
    path("polistyper/", views.police_type_list, name="police-type-list"),
    path("tidsband/", views.time_band_settings, name="time-band-settings"),
]
