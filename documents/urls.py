from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("client/<int:pk>/nieuw/", views.document_upload, name="upload"),
    path("<int:document>/bestand/", views.document_download, name="download"),
    path("client/<int:pk>/brief/", views.letter_send, name="letter_send"),
    path("client/<int:pk>/brief/voorbeeld/", views.letter_preview, name="letter_preview"),
    path("brieven/te-posten/", views.to_post, name="to_post"),
    path("brieven/<int:letter>/gepost/", views.letter_posted, name="letter_posted"),
    path("beheer/sjablonen/", views.template_list, name="template_list"),
    path("beheer/sjablonen/<int:letter_template>/", views.template_edit, name="template_edit"),
    path("beheer/soorten/", views.kind_list, name="kind_list"),
    path("beheer/soorten/nieuw/", views.kind_create, name="kind_create"),
    path("beheer/soorten/<int:document_kind>/", views.kind_edit, name="kind_edit"),
]
