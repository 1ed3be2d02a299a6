"""Plugin console routes (docs); included by `console/urls_plugin.py`."""

urlpatterns: list = []
