"""Plugin console routes (profile); included by `console/urls_plugin.py`."""

urlpatterns: list = []
