"""Bench-only Django modules for bench/api_submit.py (never imported by the application)."""
