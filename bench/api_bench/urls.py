"""The application's URLs plus /bench/bare/: validate a small JSON body with a Django form and insert
one row, the floor a submission costs. The row goes to Django's session table: a table no part of Balai
watches (no signal, no page-cache topic), so the view runs exactly one INSERT and its COMMIT. (Until
2026-12-07 it inserted a region, which the page cache watches: three more statements per request made the
baseline slower than a bare insert, and every ratio against it looked better than it was.)"""

from django import forms
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from balai.urls import urlpatterns as app_urlpatterns


class BareForm(forms.Form):
    title = forms.CharField(max_length=200)
    contact_phone = forms.CharField(max_length=32, required=False)


@csrf_exempt
def bare(request):
    import json

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    form = BareForm(json.loads(request.body or b"{}"))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    # One INSERT of a small row with a unique key, like a case's tracking code.
    import secrets

    row = Session.objects.create(session_key=secrets.token_hex(16), session_data=form.cleaned_data["title"],
                                 expire_date=timezone.now())
    return JsonResponse({"id": row.pk}, status=201)


@csrf_exempt
def floor(request):
    """What any synchronous submission must at least do, by hand (plain SQL, one cursor): validate, then
    in ONE transaction insert five small rows (as a case, its event, its message, the message's delivery
    job and its audit record) and take a lock as the audit chain's (PostgreSQL). No routing, no deadlines,
    no texts: the floor for an engine that keeps those rows in the submission's transaction."""
    import json

    form = BareForm(json.loads(request.body or b"{}"))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    _floor_rows(form.cleaned_data["title"])
    return JsonResponse({"id": 1}, status=201)


def _floor_rows(title: str) -> None:
    """The floor's writes: five small rows and the chain's lock (PostgreSQL) in one transaction."""
    import secrets

    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    insert = "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, %s, %s)"
    with transaction.atomic(), connection.cursor() as cursor:
        for _ in range(4):
            cursor.execute(insert, [secrets.token_hex(16), title, now])
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(4242)")
        cursor.execute(insert, [secrets.token_hex(16), "audit", now])


class _FloorSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class DRFFloor(APIView):
    """The floor's writes behind Django REST framework at its leanest (no authentication, permission or
    throttle; JSON in and out): what any submission through a DRF endpoint costs at least, before it
    routes, computes a deadline, words a message or hashes an audit record."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    def post(self, request):
        serializer = _FloorSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _floor_rows(serializer.validated_data["title"])
        return Response({"id": 1}, status=201)


urlpatterns = [path("bench/bare/", bare), path("bench/floor/", floor), path("bench/drf-floor/", DRFFloor.as_view()),
               *app_urlpatterns]
