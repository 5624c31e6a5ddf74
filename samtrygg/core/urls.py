from django.contrib.auth import views as auth_views
from django.urls import path

from samtrygg.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "glomt-losenord/",
        auth_views.PasswordResetView.as_view(
            template_name="core/password_reset_form.html",
            email_template_name="core/password_reset_email.txt",
            subject_template_name="core/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "nytt-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="core/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "nytt-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="core/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("samverkan/byt/", views.switch_partnership, name="switch-partnership"),
    path("samverkan/installningar/", views.partnership_settings, name="partnership-settings"),
    path("karta/data.geojson", views.map_data, name="map-data"),
    path("omraden/", views.area_list, name="area-list"),
    path("omraden/<int:pk>/", views.area_detail, name="area-detail"),
    path("platser/", views.place_list, name="place-list"),
    path("platser/<int:pk>/", views.place_detail, name="place-detail"),
    path("organisationer/", views.organisation_list, name="organisation-list"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("medlemmar/", views.member_list, name="member-list"),
    path("inbjudan/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path("logg/", views.audit_list, name="audit-list"),
    path("jobb/", views.job_list, name="job-list"),
    path("konto/", views.account, name="account"),
]
