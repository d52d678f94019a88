"""The baseline's one page."""

from django.shortcuts import render
from django.urls import path


def page(request):
    return render(request, "page.html", {"title": "Baseline", "items": ["satu", "dua", "tiga"]})


urlpatterns = [path("", page)]
