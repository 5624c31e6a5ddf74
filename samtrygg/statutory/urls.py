from django.urls import URLPattern, URLResolver, path

from samtrygg.statutory import views, views_reports

urlpatterns: list[URLPattern | URLResolver] = [
    path("lagen/", views_reports.overview, name="statutory-overview"),
    path("lagen/lagesbild/<int:pk>/", views_reports.report_detail, name="statutory-report"),
    path(
        "lagen/lagesbild/<int:pk>/beslut/",
        views_reports.report_decide,
        name="statutory-report-decide",
    ),
    path(
        "lagen/lagesbild/<int:pk>/lagesbild.pdf",
        views_reports.report_pdf,
        name="statutory-report-pdf",
    ),
    path(
        "lagen/lagesbild/<int:pk>/lagesbild.docx",
        views_reports.report_docx,
        name="statutory-report-docx",
    ),
    path("lagen/problem/", views.problem_list, name="statutory-problems"),
    path("lagen/problem/<int:pk>/", views.problem_detail, name="statutory-problem"),
    path("lagen/atgardsplan/", views.plan, name="statutory-plan"),
    path("lagen/atgardsplan/<int:pk>/", views.plan_item_detail, name="statutory-plan-item"),
    path("lagen/beslutsorgan/", views.bodies, name="statutory-bodies"),
    path("lagen/samordningsfunktion/", views.coordination, name="statutory-coordination"),
    path("lagen/efterlevnad/", views.compliance_page, name="statutory-compliance"),
]
