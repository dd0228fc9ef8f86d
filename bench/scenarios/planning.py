"""Assignments and the capacity board."""
