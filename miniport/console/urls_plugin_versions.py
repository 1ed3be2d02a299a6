"""Plugin console routes (versions); included by `console/urls_plugin.py`."""

urlpatterns: list = []
