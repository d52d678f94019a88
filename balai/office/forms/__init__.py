"""Forms of the staff workspace (one module per page group)."""
