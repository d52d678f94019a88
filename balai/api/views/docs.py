"""The browsable API docs (Swagger UI from drf-spectacular-sidecar, served from our own static files).

Swagger UI is rendered by React, which sets `style=` attributes, and drf-spectacular's page has one small
inline `<style>`: this page alone allows inline styles. Scripts stay 'self' only: the split view serves
its start-up script as a separate file instead of an inline script.
"""

from __future__ import annotations

from csp.decorators import csp_update

docs_csp = csp_update({"style-src": ["'unsafe-inline'"]})
