"""Settings for the test suite: the real settings, with fast password hashing."""

import os

os.environ.setdefault("MINIPORT_FAST_HASHES", "1")

from miniport.settings import *  # noqa: E402,F403
