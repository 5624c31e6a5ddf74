"""Cooperation agreements and citizen promises: decided, signed, published, followed up;
and the public page."""
