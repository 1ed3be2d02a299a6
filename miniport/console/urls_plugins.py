"""Settings > Third-party services > Plugin management of a mini program that uses
plugins (PLG-11); included by `console/urls.py` in its namespace."""

urlpatterns: list = []
