"""Who may do what, and how sessions find their user."""
