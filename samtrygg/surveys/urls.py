from django.urls import URLPattern, URLResolver, path

from samtrygg.surveys import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("trygghetsmatningar/", views.survey_list, name="survey-list"),
    path("trygghetsmatningar/egna-fragor/", views.question_list, name="survey-questions"),
    path("trygghetsmatningar/publicerade/", views.figure_list, name="survey-figures"),
    path(
        "trygghetsmatningar/publicerade/<int:pk>/ta-bort/",
        views.figure_delete,
        name="survey-figure-delete",
    ),
    path("trygghetsmatningar/<int:pk>/", views.survey_wave, name="survey-wave"),
    path("trygghetsmatningar/<int:pk>/rapport.pdf", views.survey_wave_pdf, name="survey-wave-pdf"),
    path(
        "trygghetsmatningar/<int:pk>/indikatorer.xlsx",
        views.survey_wave_xlsx,
        name="survey-wave-xlsx",
    ),
    path(
        "trygghetsmatningar/<int:pk>/indikatorer.csv", views.survey_wave_csv, name="survey-wave-csv"
    ),
    path("trygghetsmatningar/<int:pk>/webb/", views.survey_web, name="survey-web"),
    path("trygghetsmatningar/<int:pk>/koder/", views.survey_tokens, name="survey-tokens"),
    path("dialoger/", views.dialogue_list, name="dialogue-list"),
    path("dialoger/<int:pk>/", views.dialogue_detail, name="dialogue-detail"),
    path("p/<str:kommunkod>/enkat/<slug:slug>/", views.public_survey, name="public-survey"),
]
