"""Ops desk forms, one module per area (`ops/forms/<area>.py`, beside
`ops/views/<area>.py`); what they share is in `common`. They parse input only; the
services decide."""
