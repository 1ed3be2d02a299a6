from tests.links.makers import same_subject  # noqa: F401
from tests.miniprograms.conftest import console_as  # noqa: F401
