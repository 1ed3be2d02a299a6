"""Official accounts and their association with mini programs (OA-1..OA-3)."""
