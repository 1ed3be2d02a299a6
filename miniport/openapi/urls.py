from django.urls import path

app_name = "openapi"
urlpatterns: list = []
