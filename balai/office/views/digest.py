"""The staff member's own digest setting (/kantor/akun/ringkasan/): the daily e-mail on or off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.office.rules import office_view
from balai.office.selectors import digest_enabled
from balai.office.services import set_digest_preference


class DigestForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=gettext_lazy("Send me the daily digest e-mail"), required=False,
        help_text=gettext_lazy("On working days at about 07:00: the cases that are late or due within one "
                               "working day, that are assigned to you or, for heads of unit and inspectors, "
                               "escalated to you. No e-mail when there is nothing to report."))


@office_view("office:digest_settings")
def digest_settings_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            on = form.cleaned_data["daily_digest"]
            set_digest_preference(user=request.user, daily_digest=on)
            messages.success(request, _("The daily digest is on.") if on else _("The daily digest is off."))
            return redirect("office:digest_settings")
    else:
        form = DigestForm(initial={"daily_digest": digest_enabled(request.user)})
    return render(request, "office/digest_settings.html", {"form": form, "email": request.user.email,
                                                          "office_section": "digest"})
