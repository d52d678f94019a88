"""The application's URLs plus /bench/bare/: validate a small JSON body with a Django form and insert
one row (a `people.ClientApplication`-free table: `audit`-less, event-less), the floor a submission costs."""

from django import forms
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from balai.urls import urlpatterns as app_urlpatterns


class BareForm(forms.Form):
    title = forms.CharField(max_length=200)
    contact_phone = forms.CharField(max_length=32, required=False)


@csrf_exempt
def bare(request):
    import json

    from balai.agencies.models import Region

    form = BareForm(json.loads(request.body or b"{}"))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    # One INSERT of a small row with a unique key, like a case's tracking code.
    import secrets

    row = Region.objects.create(code=secrets.token_hex(6)[:13], name=form.cleaned_data["title"][:120],
                                level="village")
    return JsonResponse({"id": row.pk}, status=201)


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]
