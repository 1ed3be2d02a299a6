from django.urls import path

app_name = "ops"
urlpatterns: list = []
