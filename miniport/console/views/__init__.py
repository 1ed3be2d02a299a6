"""Console views, one module per area: thin views that parse input, load objects through
`console.access` (outsiders get 404), call one service and render. Forms are in
`console/forms/<area>.py`, templates in `templates/console/<area>/`, every route in
`console/urls.py`; `common` holds the shell page helper."""
