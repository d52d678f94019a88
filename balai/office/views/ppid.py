"""PPID in the staff workspace (/kantor/ppid/): the register of public information (PPID pelaksana propose,
the main PPID approves), warnings (stale periodic items, exemptions ending) and consequence tests with
their PDF decree. Rules and writes: balai.ppid (docs/regulations.md §11)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.cases.errors import CaseError
from balai.cases.workflows import EXEMPTIONS
from balai.i18n import current_language
from balai.office.rules import office_view
from balai.ppid import selectors, services
from balai.ppid.documents import decree_pdf
from balai.ppid.grounds import objection_grounds
from balai.ppid.models import (
    ArchiveEntry,
    Category,
    ConsequenceTest,
    Dispute,
    ExemptionDecision,
    ItemFormat,
    ItemStatus,
    Objection,
)
from balai.ppid.report import annual_figures

DATE = forms.DateInput(attrs={"type": "date"})


class ItemForm(forms.Form):
    agency = forms.TypedChoiceField(label=gettext_lazy("Agency"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Information"), max_length=250)
    summary = forms.CharField(label=gettext_lazy("Summary of content"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    holder = forms.CharField(label=gettext_lazy("Official or unit that holds it"), max_length=200)
    responsible = forms.CharField(label=gettext_lazy("Person responsible"), max_length=200)
    made_when = forms.DateField(label=gettext_lazy("When it was made"), widget=DATE)
    made_where = forms.CharField(label=gettext_lazy("Where it was made"), max_length=200)
    format = forms.ChoiceField(label=gettext_lazy("Form/format"), choices=ItemFormat.choices)
    retention = forms.CharField(label=gettext_lazy("Retention period"), max_length=120,
                                help_text=gettext_lazy("By the archive retention schedule (JRA)."))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1945, max_value=2100)
    document_url = forms.URLField(label=gettext_lazy("Document (address)"), required=False, assume_scheme="https")
    where_to_get = forms.CharField(label=gettext_lazy("Where to get it"), max_length=250, required=False)
    announcement = forms.CharField(label=gettext_lazy("Announcement (serta merta), plain text"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.short_name) for a in agencies]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", gettext_lazy("Approve and publish")),
                                          ("return", gettext_lazy("Return to the proposer"))])
    review_note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnnounceForm(forms.Form):
    notice = forms.CharField(label=gettext_lazy("The notice, in plain words"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Plain Indonesian, short sentences: it is also read aloud and "
                                                    "sent by SMS."))
    broadcast = forms.BooleanField(label=gettext_lazy("Also send it to the subscribers (SMS, WhatsApp, e-mail)"),
                                   required=False)


class TestForm(forms.Form):
    agency = forms.TypedChoiceField(label=gettext_lazy("Agency"), coerce=int)
    item = forms.TypedChoiceField(label=gettext_lazy("Register item"), coerce=int, required=False, empty_value=None)
    occasion = forms.ChoiceField(label=gettext_lazy("Made"), choices=ConsequenceTest.Occasion.choices)
    document = forms.CharField(label=gettext_lazy("Document"), max_length=250)
    excluded_part = forms.CharField(label=gettext_lazy("What is excluded"), widget=forms.Textarea(attrs={"rows": 2}))
    exemption = forms.ChoiceField(label=gettext_lazy("Exemption (UU 14/2008 art. 17)"), choices=())
    law = forms.CharField(label=gettext_lazy("Exempting law and article"), max_length=250)
    harm = forms.CharField(label=gettext_lazy("Harm that opening would cause"), widget=forms.Textarea(attrs={"rows": 3}))
    public_interest = forms.CharField(label=gettext_lazy("Public-interest test"),
                                      widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=ExemptionDecision.choices)
    decided_at = forms.DateField(label=gettext_lazy("Decided on"), widget=DATE)
    exempt_until = forms.DateField(label=gettext_lazy("Exempt until"), widget=DATE)

    def __init__(self, *args: Any, agencies: list[Any], items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.short_name) for a in agencies]
        self.fields["item"].choices = [("", _("(none)"))] + [(i.pk, f"{i.number} · {i.title}") for i in items]
        self.fields["exemption"].choices = [("", _("Choose the exemption"))] + list(EXEMPTIONS.items())


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@office_view("office:ppid")
def register_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    items = selectors.staff_items(user=request.user, status=status)[:200]
    return render(request, "office/ppid_register.html", {
        "items": items, "status": status, "statuses": ItemStatus.choices, "may_approve": selectors.may_approve(request.user),
        "warnings": selectors.open_warnings(user=request.user), "office_section": "ppid",
    })


@office_view("office:ppid_propose")
def propose_view(request: HttpRequest) -> HttpResponse:
    agencies = list(selectors.agencies_proposing(request.user))
    form = ItemForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = next((a for a in agencies if a.pk == form.cleaned_data["agency"]), None)
        try:
            if agency is None:
                raise PermissionDenied
            item = services.item_propose(actor=request.user, agency=agency, values=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Proposed: %(number)s. The main PPID approves it before it is published.")
                             % {"number": item.number})
            return redirect(reverse("office:ppid"))
    return render(request, "office/ppid_form.html", {"form": form, "heading": _("Propose a register item"),
                                                     "office_section": "ppid"},
                  status=400 if form.is_bound and form.errors else 200)


@office_view("office:ppid_item")
def item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.staff_item(user=request.user, pk=pk)
    if item is None:
        raise Http404
    agencies = [item.agency]
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    initial["agency"] = item.agency_id
    form = ItemForm(agencies=agencies, initial=initial)
    review = ReviewForm()
    may_approve = selectors.may_approve(request.user, item) and item.status == ItemStatus.PROPOSED
    announce_form = AnnounceForm(request.POST if request.POST.get("what") == "announce" else None,
                                 initial={"notice": item.announcement})
    if request.method == "POST":
        try:
            if request.POST.get("what") == "announce":
                if announce_form.is_valid():
                    queued = services.announce(actor=request.user, item=item, **announce_form.cleaned_data)
                    messages.success(request, _("Announced. Messages queued: %(n)s.") % {"n": queued})
                    return redirect(reverse("office:ppid_item", args=[item.pk]))
            elif request.POST.get("what") == "review":
                review = ReviewForm(request.POST)
                if review.is_valid():
                    services.item_review(actor=request.user, item=item,
                                         approve=review.cleaned_data["decision"] == "approve",
                                         note=review.cleaned_data["review_note"])
                    messages.success(request, _("Saved."))
                    return redirect(reverse("office:ppid"))
            else:
                form = ItemForm(request.POST, agencies=agencies)
                if form.is_valid():
                    services.item_update(actor=request.user, item=item, values=form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect(reverse("office:ppid_item", args=[item.pk]))
        except ValidationError as exc:
            _apply_errors({"review": review, "announce": announce_form}.get(request.POST.get("what", ""), form), exc)
        except PermissionDenied:
            raise
    return render(request, "office/ppid_item.html", {"item": item, "form": form, "review": review,
                                                     "announce": announce_form,
                                                     "may_approve": may_approve, "office_section": "ppid"},
                  status=400 if request.method == "POST" else 200)


@office_view("office:ppid_tests")
def tests_view(request: HttpRequest) -> HttpResponse:
    agencies = list(selectors.agencies_proposing(request.user))
    items = list(selectors.staff_items(user=request.user)[:500])
    form = TestForm(request.POST or None, agencies=agencies, items=items,
                    initial={"item": request.GET.get("item")})
    if request.method == "POST" and form.is_valid():
        agency = next((a for a in agencies if a.pk == form.cleaned_data["agency"]), None)
        item = next((i for i in items if i.pk == form.cleaned_data["item"]), None)
        try:
            if agency is None:
                raise PermissionDenied
            test = services.consequence_test_create(actor=request.user, agency=agency, item=item,
                                                    values=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Consequence test %(number)s recorded.") % {"number": test.number})
            return redirect(reverse("office:ppid_tests"))
    return render(request, "office/ppid_tests.html", {
        "tests": selectors.staff_tests(user=request.user)[:200], "form": form, "office_section": "ppid"},
        status=400 if form.is_bound and form.errors else 200)


@office_view("office:ppid_test_pdf")
def test_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    test = selectors.staff_test(user=request.user, pk=pk)
    if test is None:
        raise Http404
    response = HttpResponse(decree_pdf(test=test, lang=current_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{test.number}.pdf"'
    return response


# --- the archive: the PPID confirms what of an answered request is public ---------------------------------

class ArchiveForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Question as published"), widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.CharField(label=gettext_lazy("Answer as published"), required=False,
                             widget=forms.Textarea(attrs={"rows": 6}))
    documents = forms.TypedMultipleChoiceField(label=gettext_lazy("Documents to release"), coerce=int,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    publish = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect, choices=[
        ("yes", gettext_lazy("Publish in the archive")), ("no", gettext_lazy("Do not publish"))])

    def __init__(self, *args: Any, attachments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(a.pk, a.original_name) for a in attachments]


@office_view("office:ppid_archive")
def archive_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "draft")
    return render(request, "office/ppid_archive.html", {
        "entries": selectors.staff_archive(user=request.user, status=status)[:200], "status": status,
        "statuses": ArchiveEntry.Status.choices, "office_section": "ppid"})


@office_view("office:ppid_archive_entry")
def archive_entry_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.staff_archive_entry(user=request.user, pk=pk)
    if entry is None:
        raise Http404
    attachments = selectors.releasable_attachments(entry)
    released = [d.attachment_id for d in selectors.public_archive_documents(entry)]
    form = ArchiveForm(request.POST or None, attachments=attachments, initial={
        "question": entry.question, "answer": entry.answer, "documents": released,
        "publish": "yes" if entry.status != ArchiveEntry.Status.WITHHELD else "no"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.archive_confirm(actor=request.user, entry=entry, publish=data["publish"] == "yes",
                                 question=data["question"], answer=data["answer"], attachment_ids=data["documents"])
        messages.success(request, _("Saved."))
        return redirect(reverse("office:ppid_archive"))
    return render(request, "office/ppid_archive_entry.html", {"entry": entry, "form": form, "office_section": "ppid",
                                                              "released": selectors.public_archive_documents(entry)},
                  status=400 if form.is_bound and form.errors else 200)


class RegionForm(forms.Form):
    """One rectangle to black out, in percent of the page (from its top left corner), read off the grid of
    the page preview."""

    page = forms.IntegerField(label=gettext_lazy("Page"), min_value=1, max_value=9999, initial=1)
    left = forms.DecimalField(label=gettext_lazy("Left edge (%)"), min_value=0, max_value=100, decimal_places=2)
    top = forms.DecimalField(label=gettext_lazy("Top edge (%)"), min_value=0, max_value=100, decimal_places=2)
    right = forms.DecimalField(label=gettext_lazy("Right edge (%)"), min_value=0, max_value=100, decimal_places=2)
    bottom = forms.DecimalField(label=gettext_lazy("Bottom edge (%)"), min_value=0, max_value=100,
                                decimal_places=2)


def _pct(value: Any) -> str:
    return f"{float(value) * 100:g}"


@office_view("office:ppid_archive_redact")
def archive_redact_view(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    """Black out regions of a released PDF or image (partial exemption): add a rectangle, remove one, and see
    the published copy; the original stays internal."""
    document = selectors.staff_archive_document(user=request.user, entry_pk=pk, pk=doc)
    if document is None:
        raise Http404
    regions = list(document.regions or [])
    form = RegionForm(request.POST if request.POST.get("op") == "add" else None)
    wanted: list[dict[str, Any]] | None = None
    if request.method == "POST" and request.POST.get("op") == "remove":
        drop = request.POST.get("region", "")
        wanted = [r for n, r in enumerate(regions) if str(n) != drop]
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wanted = [*regions, {"page": data["page"], "x0": float(data["left"]) / 100, "y0": float(data["top"]) / 100,
                             "x1": float(data["right"]) / 100, "y1": float(data["bottom"]) / 100}]
    if wanted is not None:
        try:
            services.archive_redact(actor=request.user, document=document, regions=wanted)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Saved: the published copy is made again from the original."))
            return redirect(reverse("office:ppid_archive_redact", args=[pk, doc]))
    page = _int_arg(request.GET.get("halaman"))
    shown = [{"n": n, "page": r["page"], "left": _pct(r["x0"]), "top": _pct(r["y0"]), "right": _pct(r["x1"]),
              "bottom": _pct(r["y1"])} for n, r in enumerate(regions)]
    return render(request, "office/ppid_archive_redact.html", {
        "document": document, "entry": document.entry, "form": form, "regions": shown, "page": page,
        "redactable": selectors.is_redactable(document), "office_section": "ppid"},
        status=400 if form.is_bound and form.errors else 200)


def _int_arg(raw: str | None) -> int:
    try:
        return max(1, min(9999, int(raw or 1)))
    except ValueError:
        return 1


@office_view("office:ppid_archive_page")
def archive_page_view(request: HttpRequest, pk: int, doc: int, page: int) -> HttpResponse:
    """A page of the document with a 10 % grid: the original with the regions outlined, or (?terbit=1) the
    published copy as the public will get it."""
    document = selectors.staff_archive_document(user=request.user, entry_pk=pk, pk=doc)
    if document is None:
        raise Http404
    try:
        png = services.archive_document_page_png(document, page=page, published=request.GET.get("terbit") == "1")
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- objections and disputes ------------------------------------------------------------------------------

class OralObjectionForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Registration number of the request (tracking code)"), max_length=16)
    grounds = forms.MultipleChoiceField(label=gettext_lazy("Grounds (UU 14/2008 art. 35(1))"), choices=(),
                                        widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=gettext_lazy("The objection as told"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grounds"].choices = objection_grounds(current_language())


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision of the PPID's superior"), widget=forms.RadioSelect,
                                 choices=Objection.Decision.choices)
    reasons = forms.CharField(label=gettext_lazy("Written reasons"), widget=forms.Textarea(attrs={"rows": 5}))
    position = forms.CharField(label=gettext_lazy("Your position"), max_length=150)


class DisputeForm(forms.Form):
    commission_number = forms.CharField(label=gettext_lazy("Commission's register number"), max_length=60)
    registered_at = forms.DateField(label=gettext_lazy("Registered with the Commission on"), widget=DATE)
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), choices=Dispute.Stage.choices)
    mediation_result = forms.CharField(label=gettext_lazy("Mediation result"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    adjudication_outcome = forms.CharField(label=gettext_lazy("Adjudication outcome"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 3}))
    decided_at = forms.DateField(label=gettext_lazy("Decided on"), required=False, widget=DATE)


@office_view("office:ppid_objections")
def objections_view(request: HttpRequest) -> HttpResponse:
    form = OralObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = selectors.objectionable_case(user=request.user, code=form.cleaned_data["code"])
        if case is None:
            form.add_error("code", _("No information request of your agency has this number."))
        else:
            try:
                objection = services.objection_oral(actor=request.user, case=case, grounds=form.cleaned_data["grounds"],
                                                    reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            except CaseError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Objection %(number)s registered. Give the requester the receipt number "
                                            "%(receipt)s.") % {"number": objection.number,
                                                               "receipt": objection.receipt_number})
                return redirect(reverse("office:ppid_objection", args=[objection.pk]))
    return render(request, "office/ppid_objections.html", {
        "objections": selectors.staff_objections(user=request.user), "form": form,
        "office_section": "ppid"}, status=400 if form.is_bound and form.errors else 200)


@office_view("office:ppid_objection")
def objection_view(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.staff_objection(user=request.user, pk=pk)
    if objection is None:
        raise Http404
    dispute = selectors.dispute_of(objection)
    may_decide = objection.answered_at is None and selectors.may_decide_objection(request.user, objection)
    decision = DecisionForm(request.POST if request.POST.get("what") == "decision" else None)
    initial = {k: getattr(dispute, k) for k in ("commission_number", "registered_at", "stage", "mediation_result",
                                                 "adjudication_outcome", "decided_at")} if dispute else {}
    dispute_form = DisputeForm(request.POST if request.POST.get("what") == "dispute" else None, initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("what") == "decision" and may_decide and decision.is_valid():
                services.objection_decide(actor=request.user, objection=objection, **decision.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect(reverse("office:ppid_objection", args=[objection.pk]))
            if request.POST.get("what") == "dispute" and dispute_form.is_valid():
                services.dispute_record(actor=request.user, objection=objection, values=dispute_form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect(reverse("office:ppid_objection", args=[objection.pk]))
        except ValidationError as exc:
            _apply_errors(decision if request.POST.get("what") == "decision" else dispute_form, exc)
        except CaseError as exc:
            decision.add_error(None, str(exc))
    return render(request, "office/ppid_objection.html", {
        "objection": objection, "dispute": dispute, "may_decide": may_decide, "decision": decision,
        "dispute_form": dispute_form, "window_until": services.dispute_window(objection),
        "grounds": [label for key, label in objection_grounds(current_language()) if key in objection.grounds],
        "office_section": "ppid"}, status=400 if request.method == "POST" else 200)


# --- the annual report: draft, annotation, publication (main PPID) ----------------------------------------

class ReportForm(forms.Form):
    policy = forms.CharField(label=gettext_lazy("Policy"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    implementation = forms.CharField(label=gettext_lazy("Implementation"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    constraints = forms.CharField(label=gettext_lazy("Constraints"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(label=gettext_lazy("Recommendations"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    publish = forms.BooleanField(label=gettext_lazy("Publish the report now (the figures are frozen)"),
                                 required=False)


@office_view("office:ppid_reports")
def reports_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun") or today.year - 1)
    except ValueError:
        year = today.year - 1
    year = min(max(year, 2000), today.year)
    government, report = selectors.staff_report(user=request.user, year=year)
    if government is None:
        raise PermissionDenied
    initial = {k: getattr(report, k) for k in services.REPORT_TEXTS} if report else {}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_annotate(actor=request.user, government=government, year=year,
                                     values=form.cleaned_data, publish=form.cleaned_data["publish"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("office:ppid_reports") + f"?tahun={year}")
    figures = report.figures if report and report.figures else annual_figures(government_id=government.pk, year=year)
    return render(request, "office/ppid_reports.html", {
        "year": year, "report": report, "form": form, "figures": figures, "office_section": "ppid",
        "published": bool(report and report.status == "published")},
        status=400 if form.is_bound and form.errors else 200)
