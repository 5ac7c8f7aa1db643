"""Command groups of `flask --app wsgi porch`, one module per area."""
