from django.urls import path

from supervision import views

urlpatterns = [
    path("supervision/", views.card_list, name="supervision-card-list"),
    path("supervision/inbox/", views.supervision_card_inbox, name="supervision-inbox"),
    path("supervision/new/", views.supervision_card_issue, name="supervision-card-issue"),
    path("supervision/<int:pk>/", views.card_detail, name="supervision-card-detail"),
    path("supervision/<int:pk>/acknowledge/", views.supervision_card_acknowledge, name="supervision-card-acknowledge"),
    path("supervision/<int:pk>/submit/", views.supervision_card_submit, name="supervision-card-submit"),
    path("supervision/<int:pk>/verify/", views.supervision_card_verify, name="supervision-card-verify"),
    path("supervision/<int:pk>/withdraw/", views.supervision_card_withdraw, name="supervision-card-withdraw"),
    path("supervision/<int:pk>/extensions/", views.extension_request, name="supervision-extension-request"),
    path(
        "supervision/<int:pk>/extensions/<int:extension_pk>/decide/",
        views.extension_decide,
        name="supervision-extension-decide",
    ),
    path("supervision/<int:pk>/pdf/", views.card_pdf, name="supervision-card-pdf"),
    path("supervision/attachments/<int:pk>/", views.attachment, name="supervision-attachment"),
]
