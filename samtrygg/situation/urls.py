from django.urls import path

from samtrygg.situation import views

urlpatterns = [
    path("lagesbild/", views.current, name="situation-current"),
    path("lagesbild/karta.geojson", views.points, name="situation-points"),
    path("lagesbild/antagna/", views.picture_list, name="situation-list"),
    path("lagesbild/aterkoppling/", views.feedback, name="situation-feedback"),
    path("lagesbild/<int:pk>/", views.picture_detail, name="situation-detail"),
    path("lagesbild/<int:pk>/lagesbild.pdf", views.picture_pdf, name="situation-pdf"),
    path("lagesbild/<int:pk>/lagesbild.xlsx", views.picture_xlsx, name="situation-xlsx"),
    path("lagesbild/<int:pk>/skapa/<str:fmt>/", views.picture_export, name="situation-export"),
    path("dokument/<int:pk>/", views.document_status, name="document-status"),
    path("dokument/<int:pk>/hamta/", views.document_download, name="document-download"),
]
