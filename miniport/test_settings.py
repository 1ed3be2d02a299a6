"""Settings for the test suite: the real settings, with fast password hashing."""

import os

os.environ.setdefault("MINIPORT_FAST_HASHES", "1")

from miniport.settings import *  # noqa: E402,F403

# Connections are not kept between requests in tests: live servers and threads would
# otherwise hold the PostgreSQL test database open at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Django's test client calls itself "testserver"; only the suite accepts that host.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
