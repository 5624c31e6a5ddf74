"""The residents app's records."""
