"""Samtrygg: the joint safety work of a kommun, its lokalpolisområde and their partners."""

__version__ = "0.1.0"
