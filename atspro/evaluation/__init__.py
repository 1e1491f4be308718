"""Quality harnesses: `atspro eval ...` figures over the shared sample data."""
