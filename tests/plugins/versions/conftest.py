import pytest

AVATAR = "plugin-avatars/test.png"


@pytest.fixture
def make_plugin(make_plugin):
    """A plugin whose basic information is complete (PLG-5), avatar included."""

    def factory(*args, **fields):
        fields.setdefault("avatar", AVATAR)
        return make_plugin(*args, **fields)

    return factory
