"""Open311 GeoReport v2 (owned by the Open311 helper)."""
