"""Views of the staff workspace: parse input, call services/selectors, render. No business rules."""
