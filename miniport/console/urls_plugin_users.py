"""Plugin console routes (users); included by `console/urls_plugin.py`."""

urlpatterns: list = []
