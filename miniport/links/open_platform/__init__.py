"""Open platform accounts and UnionID (OPN-1, OPN-2)."""
