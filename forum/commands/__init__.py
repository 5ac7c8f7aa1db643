"""`flask --app wsgi porch ...` command groups, one module per area."""
