from tests.plugins.makers import make_owner, make_plugin, released_plugin  # noqa: F401
