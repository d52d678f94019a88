"""Tracking a case by its code.

Anyone with the code sees what `case_view` gives the public: the status, the due date in working days
and, for a public case, the public timeline. Details and replies need proof that the person is the
citizen: a one-time code sent to the case's phone or e-mail (`balai.portal.services.otp`), or being signed in
as the case's owner. The page that sends the code answers the same whether or not the code exists or
has a contact, so it cannot be used to learn anything.

Looking codes up is rate-limited per IP address: codes are random with a check character, and the limit
keeps anyone from walking through them.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from balai.cases import workflows
from balai.cases.attachments import attachment_response
from balai.cases.models import Case
from balai.cases.promise import Promise, promise_of
from balai.cases.selectors import case_attachment, case_by_code
from balai.cases.services import citizen_actions
from balai.cases.tracking import normalize_code
from balai.cases.visibility import TimelineEntry, case_view, reveal_identity
from balai.i18n import current_language
from balai.net import client_ip, rate_limit_key
from balai.people.selectors import signed_in_citizen
from balai.portal.services import otp
from balai.survey.services import is_rateable

LOOKUP_LIMIT = (30, 10 * 60)  # code look-ups per IP address: 30 in 10 minutes
LOOKED_UP_KEY = "portal_looked_up"  # codes this session found (each counts toward the limit once)
MAX_LOOKED_UP = 20
OTP_PURPOSE = "case"


class TrackForm(forms.Form):
    kode = forms.CharField(
        label=gettext_lazy("Tracking code"), max_length=40,
        help_text=gettext_lazy("It is on your receipt and in the message we sent, for example KT-7M4Q-2X9P."),
        error_messages={"required": gettext_lazy("Enter your tracking code.")},
    )


class CodeForm(forms.Form):
    kode_otp = forms.CharField(
        label=gettext_lazy("One-time code"), max_length=12,
        help_text=gettext_lazy("The 6 digits we sent you."),
        error_messages={"required": gettext_lazy("Enter the 6-digit code we sent you.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


# --- shared by the tracking, responding and survey pages ------------------------------------------------

def deadline_of(case: Case, *, now: datetime | None = None) -> Promise:
    """What is promised now (`balai.cases.promise`): the same sentence as on every other face."""
    return promise_of(case, now=now)


def status_label(case_or_kind, status: str | None = None) -> str:
    if isinstance(case_or_kind, Case):
        return workflows.status_label(case_or_kind.kind, case_or_kind.status)
    return workflows.status_label(case_or_kind, status or "")


def timeline_rows(case: Case, entries: list[TimelineEntry]) -> list[dict]:
    """Timeline entries with a readable line for each (what happened, the new status)."""
    wf = workflows.workflow_for(case.kind)
    rows = []
    for entry in entries:
        if entry.action == "submit" or entry.kind == "submitted":
            what = _("Received")
        elif entry.kind == "rating":
            what = _("Rated the service")
        else:
            t = wf.transition(entry.action)
            what = str(t.label) if t else entry.action
        rows.append({
            "at": entry.at, "what": what, "body": entry.body,
            "status": status_label(case.kind, entry.to_status)
            if entry.to_status and entry.to_status != entry.from_status else "",
            "from_citizen": entry.kind in ("submitted", "citizen_reply"),
        })
    return rows


def find_case(code: str) -> Case | None:
    return case_by_code(code)


def case_or_404(code: str) -> Case:
    case = case_by_code(code)
    if case is None:
        raise Http404
    return case


def require_proof(request: HttpRequest, case: Case) -> None:
    """Raise PermissionDenied unless the person proved they are the citizen of `case`."""
    if not otp.is_proven(request, case):
        raise PermissionDenied(_("Confirm with a one-time code first."))


def case_url(case: Case) -> str:
    return reverse("portal:track_case", args=[case.tracking_code])


# --- views -------------------------------------------------------------------------------------------------

def count_lookup(request: HttpRequest, code: str | None) -> int:
    """Count one look-up of `code` (normalised, or None) toward the per-IP limit; 0 when allowed, else the
    seconds to wait. The form (`?kode=`) and the case page (`/lacak/<code>/`) share the limit, so walking
    through codes by URL costs the same as by the form; a code this session already found is not counted
    again (the form's redirect to the case page, the citizen going back to their case)."""
    if code and code in request.session.get(LOOKED_UP_KEY, []):
        return 0
    return otp.rate_limit_hit(name="track-lookup", key=rate_limit_key(client_ip(request)),
                              limit=LOOKUP_LIMIT[0],
                              window=LOOKUP_LIMIT[1])


def _remember_lookup(request: HttpRequest, code: str) -> None:
    seen = [c for c in request.session.get(LOOKED_UP_KEY, []) if c != code]
    request.session[LOOKED_UP_KEY] = (seen + [code])[-MAX_LOOKED_UP:]


def _limited_page(request: HttpRequest, seconds: int, *, template: str = "portal/track.html",
                  context: dict | None = None) -> HttpResponse:
    context = dict(context or {})
    context |= dict(limited=True, wait_minutes=otp.wait_minutes(seconds))
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(int(seconds))
    return response


def track(request: HttpRequest) -> HttpResponse:
    """The tracking form; `?kode=` looks the code up and opens the case page."""
    if "kode" not in request.GET:
        return render(request, "portal/track.html", {"form": TrackForm()})
    form = TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/track.html", {"form": form}, status=400)
    raw = form.cleaned_data["kode"]
    normalized = normalize_code(raw)
    wait = count_lookup(request, normalized)
    if wait:
        return _limited_page(request, wait, context={"form": form})
    case = find_case(raw) if normalized else None
    if case is None:
        message = (_("We could not find a case with this code. Check each letter and number: the code is on "
                     "your receipt and in the message we sent you.") if normalized else
                   _("This is not a valid tracking code. It looks like KT-7M4Q-2X9P: check each letter and "
                     "number."))
        form.add_error("kode", message)
        return render(request, "portal/track.html", {"form": form, "not_found": True}, status=404)
    _remember_lookup(request, case.tracking_code)
    return redirect(case_url(case))


def track_case(request: HttpRequest, code: str) -> HttpResponse:
    """The case page: the public view, or the citizen's view after a one-time code."""
    wait = count_lookup(request, normalize_code(code))
    if wait:
        return _limited_page(request, wait, context={"form": TrackForm({"kode": code[:40]})})
    case = find_case(code)
    if case is None:
        form = TrackForm({"kode": code})
        form.is_valid()
        form.add_error("kode", _("We could not find a case with this code. Check each letter and number."))
        return render(request, "portal/track.html", {"form": form, "not_found": True}, status=404)
    _remember_lookup(request, case.tracking_code)
    if case.tracking_code != code:
        return redirect(case_url(case))
    proven = otp.is_proven(request, case)
    view = case_view(case=case, viewer=None, as_citizen=proven)
    actions = []
    survey_open = False
    if proven:
        actions = citizen_actions(case=case)
        survey_open = is_rateable(case)
    linkable = proven and case.citizen_id is None and signed_in_citizen(request.user) is not None
    return render(request, "portal/track_case.html", {
        "case": case, "view": view, "proven": proven, "deadline": deadline_of(case),
        "status": status_label(case), "timeline": timeline_rows(case, view.timeline),
        "kind_label": case.get_kind_display(), "actions": actions, "survey_open": survey_open,
        "linkable": linkable, "done": request.GET.get("selesai") == "1",
    })


def _recipient(case: Case) -> tuple[str, str] | None:
    """Where a one-time code for this case goes: the contact the citizen gave (or their account's)."""
    contact = reveal_identity(case=case, purpose="otp")
    phone, email = contact.get("phone") or "", contact.get("email") or ""
    chosen = case.contact_channel
    if chosen in ("sms", "whatsapp") and phone:
        return chosen, phone
    if chosen == "email" and email:
        return "email", email
    if phone:
        return "sms", phone
    if email:
        return "email", email
    return None


@require_http_methods(["GET", "POST"])
def track_send_code(request: HttpRequest, code: str) -> HttpResponse:
    """Send a one-time code to the case's contact. Same answer for any code, known or not."""
    normalized = normalize_code(code) or code.upper()[:20]
    if request.method == "GET":
        return render(request, "portal/otp_request.html", {"code": normalized})
    result = otp.issue_code(purpose=OTP_PURPOSE, target=normalized, ip=client_ip(request))
    if result.limited:
        return _limited_page(request, result.retry_after, template="portal/otp_request.html",
                             context={"code": normalized})
    case = find_case(normalized) if normalize_code(code) else None
    target = _recipient(case) if case is not None else None
    if target is not None:
        channel, recipient = target
        otp.send_code(channel=channel, recipient=recipient, language=current_language(), code=result.code)
    return redirect(reverse("portal:track_verify", args=[normalized]) + "?terkirim=1")


@require_http_methods(["GET", "POST"])
def track_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Type the one-time code; on success the session holds the proof for this case."""
    normalized = normalize_code(code) or code.upper()[:20]
    context = {"code": normalized, "sent": request.GET.get("terkirim") == "1"}
    if request.method == "GET":
        return render(request, "portal/otp_verify.html", {**context, "form": CodeForm()})
    form = CodeForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/otp_verify.html", {**context, "form": form}, status=400)
    check = otp.check_code(purpose=OTP_PURPOSE, target=normalized, code=form.cleaned_data["kode_otp"],
                           ip=client_ip(request))
    case = find_case(normalized) if normalize_code(code) else None
    if check.ok and case is not None:
        otp.prove_case(request, case)
        next_url = request.POST.get("next") or ""
        allowed = {reverse("portal:respond", args=[case.tracking_code]),
                   reverse("portal:survey", args=[case.tracking_code])}
        return redirect(next_url if next_url in allowed else case_url(case))
    if check.reason == "limited":
        return _limited_page(request, check.retry_after, template="portal/otp_verify.html",
                             context={**context, "form": form})
    form.add_error("kode_otp", code_error_message(check))
    return render(request, "portal/otp_verify.html", {**context, "form": form}, status=400)


def code_error_message(check: otp.CodeCheck) -> str:
    if check.reason == "too_many":
        return _("You typed a wrong code too many times. Ask for a new code.")
    if check.reason == "expired":
        return _("This code is not valid any more (codes last 10 minutes). Ask for a new code.")
    return _("This code is not right. Check the 6 digits and try again. You have %(n)s tries left.") % {
        "n": check.attempts_left}


def track_attachment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Download a file of the case (the citizen's own, or one sent with an answer)."""
    case = case_or_404(code)
    require_proof(request, case)
    attachment = case_attachment(case, pk)
    if attachment is None:
        raise Http404
    return attachment_response(attachment=attachment, viewer=None, as_citizen=True)
