"""The county app's records."""
