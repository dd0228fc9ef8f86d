"""Sales that generate service orders."""
