"""Linking a mini program with the accounts around it (seeds 001 and 003): the open
platform and UnionID (OPN-1, OPN-2), official accounts (OA-1..OA-3) and enterprises of
the enterprise edition (WW-1..WW-5). Each is its own Django app below this package, with
its own tables and migrations; `launch` is the registry through which they take part in
the runtime's launch."""
