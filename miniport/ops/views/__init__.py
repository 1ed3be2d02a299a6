"""Ops desk views, one module per area (auth, registrations, remittances, policy, audit,
reviews): staff-only views that parse input, call one service and render. Forms are in
`ops/forms/<area>.py`, templates in `templates/ops/<area>/` (the shell `base_ops.html`
and the shared partials stay at the top), every route in `ops/urls.py`; `common` holds
the pagination helpers."""
