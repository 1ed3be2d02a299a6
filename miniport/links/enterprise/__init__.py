"""Enterprises of the enterprise edition and their mini programs (WW-1..WW-5)."""
