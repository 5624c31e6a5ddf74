"""Residents: tips about places, claims and fact answers, and Open311 for physical faults."""
