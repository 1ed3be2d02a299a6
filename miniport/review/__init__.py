"""The generic review machine (DESIGN.md, "Layout"): one `Review` row per submission of
any kind, states and moves in one table, one open review per target held by the
database, and a registry of kinds that the domains above fill from their `ready()`."""
