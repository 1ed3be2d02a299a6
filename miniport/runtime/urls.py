from django.urls import path

app_name = "runtime"
urlpatterns: list = []
