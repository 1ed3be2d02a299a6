from tests.links.makers import same_subject  # noqa: F401
