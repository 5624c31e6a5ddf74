"""The statutory app's records."""
