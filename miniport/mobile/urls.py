from django.urls import path

app_name = "mobile"
urlpatterns: list = []
