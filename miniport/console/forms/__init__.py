"""Console forms, one module per area (`console/forms/<area>.py`, beside
`console/views/<area>.py`); what they share is in `common`. Forms only parse and render
input: every rule is checked by a service, whose coded errors land on the field they
name (`common.attach_error`)."""
