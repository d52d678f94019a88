"""Forms of the citizen portal; each flow keeps its forms in its own module here."""

from balai.portal.forms.display import DisplayForm

__all__ = ["DisplayForm"]
