"""The promises app's records."""
