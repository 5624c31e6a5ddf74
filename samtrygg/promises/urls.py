from django.urls import URLPattern, URLResolver, path

from samtrygg.promises import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("medborgarloften/", views.promise_list, name="promise-list"),
    path("medborgarloften/<int:pk>/", views.promise_detail, name="promise-detail"),
    path("medborgarloften/<int:pk>/beslut/", views.promise_decide, name="promise-decide"),
    path("medborgarloften/<int:pk>/medborgarlofte.pdf", views.promise_pdf, name="promise-pdf"),
    path("medborgarloften/uppfoljning/<int:pk>/", views.follow_up_detail, name="follow-up-detail"),
    path(
        "medborgarloften/uppfoljning/<int:pk>/uppfoljning.pdf",
        views.follow_up_pdf,
        name="follow-up-pdf",
    ),
    path("overenskommelser/", views.agreement_list, name="agreement-list"),
    path("overenskommelser/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("overenskommelser/<int:pk>/beslut/", views.agreement_decide, name="agreement-decide"),
    path("overenskommelser/bilaga/<int:pk>/", views.annex_file, name="agreement-annex"),
    path("p/<str:kommunkod>/", views.public_promise, name="public-promise"),
]
