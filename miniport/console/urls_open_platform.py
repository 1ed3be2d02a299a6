"""Console pages of `miniport.links.open_platform`; included by `console/urls.py` in its namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
