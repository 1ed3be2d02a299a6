"""Phone page forms, one module per area (`mobile/forms/<area>.py`, beside
`mobile/views/<area>.py`). They parse input only; the services decide."""
