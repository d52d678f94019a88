"""Balai: one platform on which a regional government delivers its public services."""
