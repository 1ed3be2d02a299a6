"""Code packages, versions, review submission, release, gray release, rollback and launch (VER-*)."""
