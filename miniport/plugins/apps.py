from django.apps import AppConfig


class PluginsConfig(AppConfig):
    name = "miniport.plugins"
    label = "plugins"

    def ready(self) -> None:
        # Each part registers its error codes, policy rows, audit labels, review kinds and
        # delivery routes with the registries of the floors below.
        from .development import setup as development
        from .docs import setup as docs
        from .functional import setup as functional
        from .payment import setup as payment
        from .usage import setup as usage
        from .versions import setup as versions

        for part in (development, versions, docs, usage, payment, functional):
            part.ready()
