"""Staff-workspace pages for the browser tests, and signing a browser in as a staff user.

`STAFF_PAGES` (re-exported by tests/browser/pages.py) lists the /kantor/ pages; `seed_staff(data)` creates
an agency, a unit, officers with TOTP devices of a known key and a few cases, and fills `data` with the
placeholders (`case`, `anon_case`, `complaint`). `staff_login(page, base_url, user)` signs a Playwright page
in through the real forms (password, then the TOTP code computed with django_otp.oath.totp) and works
with JavaScript off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from balai.cases.commands import CaseCommand
from balai.cases.submission import Submission

PASSWORD = "rahasia-demo-123"  # tests/factories.py
TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238 test key ("12345678901234567890")


@dataclass(frozen=True)
class StaffPage:
    name: str
    path: str  # may contain {placeholders} from seed_staff
    role: str = "operator"  # who looks at it (a key of data["users"]); "" = not signed in
    status: int = 200

    def url(self, data: dict, *, prefix: str = "") -> str:
        return prefix + self.path.format(**data)


STAFF_PAGES: list[StaffPage] = [
    StaffPage("login", "/kantor/masuk/", role=""),
    StaffPage("queue", "/kantor/"),
    StaffPage("queue-filtered", "/kantor/?kind=service_request&deadline=due_soon&accommodation=any&q=izin"),
    StaffPage("queue-triage", "/kantor/?triage=sms"),
    StaffPage("my-queue", "/kantor/saya/"),
    StaffPage("case-operator", "/kantor/berkas/{case}/"),
    StaffPage("case-head", "/kantor/berkas/{case}/", role="head"),
    StaffPage("case-anonymous", "/kantor/berkas/{anon_case}/", role="head"),
    StaffPage("case-complaint", "/kantor/berkas/{complaint}/", role="verifier"),
    StaffPage("backup-codes", "/kantor/akun/kode-cadangan/"),
    StaffPage("digest-settings", "/kantor/akun/ringkasan/"),
    # office B
    StaffPage("counter-start", "/kantor/loket/", role="counter"),
    StaffPage("counter-service", "/kantor/loket/?jenis=service_request", role="counter"),
    StaffPage("counter-form", "/kantor/loket/?jenis=complaint", role="counter"),
    StaffPage("counter-form-service", "/kantor/loket/?jenis=service_request&layanan={service}", role="counter"),
    StaffPage("counter-done", "/kantor/loket/selesai/{counter_case}/", role="counter"),
    StaffPage("bulk", "/kantor/massal/", role="head"),
    StaffPage("head", "/kantor/kepala/", role="head"),
    StaffPage("inspectorate", "/kantor/inspektorat/", role="inspector"),
    StaffPage("agency-units", "/kantor/instansi/", role="admin"),
    StaffPage("agency-members", "/kantor/instansi/anggota/", role="admin"),
    StaffPage("agency-canned", "/kantor/instansi/jawaban/", role="admin"),
    # community participation
    StaffPage("participation", "/kantor/partisipasi/"),
    StaffPage("participation-process", "/kantor/partisipasi/{pp_staff_budget}/", role="head"),
    StaffPage("participation-new", "/kantor/partisipasi/baru/", role="head"),
    StaffPage("participation-edit", "/kantor/partisipasi/{pp_staff_budget}/ubah/", role="head"),
    StaffPage("participation-edit-consultation", "/kantor/partisipasi/{pp_staff_consult}/ubah/", role="head"),
    StaffPage("participation-paper", "/kantor/partisipasi/{pp_staff_budget}/kertas/", role="counter"),
    StaffPage("participation-moderation", "/kantor/partisipasi/{pp_staff_consult}/moderasi/"),
    StaffPage("participation-forum", "/kantor/partisipasi/{pp_staff_musren}/forum/{pp_staff_forum}/", role="counter"),
    # PPID (balai.ppid): the main PPID sees every page
    StaffPage("ppid-register", "/kantor/ppid/", role="ppid_main"),
    StaffPage("ppid-propose", "/kantor/ppid/usul/", role="ppid_main"),
    StaffPage("ppid-tests", "/kantor/ppid/uji/", role="ppid_main"),
    StaffPage("ppid-archive", "/kantor/ppid/arsip/", role="ppid_main"),
    StaffPage("ppid-objections", "/kantor/ppid/keberatan/", role="ppid_main"),
    StaffPage("ppid-report", "/kantor/ppid/laporan/", role="ppid_main"),
    StaffPage("ppid-archive-redact", "/kantor/ppid/arsip/{ppid_entry}/berkas/{ppid_doc}/", role="ppid_main"),
    # Diskominfo's ICT desk and the application registry (ADR 0037)
    StaffPage("ict-desk", "/kantor/tik/"),
    StaffPage("ict-service-incident", "/kantor/tik/layanan/{ict_incident}/"),
    StaffPage("ict-service-proposal", "/kantor/tik/layanan/{ict_proposal}/"),
    StaffPage("ict-request", "/kantor/tik/permintaan/{ict_case}/"),
    StaffPage("ict-request-approval", "/kantor/tik/permintaan/{ict_approval_case}/", role="head"),
    StaffPage("ict-case-agent", "/kantor/berkas/{ict_case}/", role="ict_agent"),
    StaffPage("ict-notices", "/kantor/tik/status/", role="ict_agent"),
    StaffPage("applications", "/kantor/aplikasi/"),
    StaffPage("application", "/kantor/aplikasi/{ict_app}/"),
    StaffPage("application-edit", "/kantor/aplikasi/{ict_app}/ubah/", role="ict_agent"),
    StaffPage("application-clusters", "/kantor/aplikasi/kembar/"),
]


def officer(role: str, unit: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import MembershipFactory, StaffFactory

    user = StaffFactory(full_name=f"Petugas {role.title()}")
    MembershipFactory(user=user, unit=unit, role=role)
    TOTPDevice.objects.create(user=user, name="uji", key=TOTP_KEY, confirmed=True)
    return user


def seed_staff(data: dict) -> None:
    from balai.agencies.models import Unit
    from balai.cases.services import case_submit, case_transition
    from tests.factories import AgencyFactory, ComplaintCategoryFactory, ServiceFactory, UnitFactory

    agency = AgencyFactory(short_name="DPMPTSP", slug="dpmptsp-uji")
    unit = UnitFactory(agency=agency, slug="perizinan-uji", kind=Unit.Kind.DIVISION)
    service = ServiceFactory(agency=agency, unit=unit, name_id="Izin usaha mikro", name_en="Micro business permit")
    category = ComplaintCategoryFactory(agency=agency, unit=unit, completion_working_days=20)
    users = {role: officer(role, unit) for role in ("operator", "verifier", "head")}
    case = case_submit(Submission(kind="service_request", channel="web", service=service, title="Izin usaha warung",
                       description="Mohon izin usaha mikro.", contact_name="Siti Aminah",
                       contact_phone="0812-5000-0001", accommodations=["sign_language"]))
    case_transition(case, CaseCommand(action="note", actor=users["head"], body="Periksa lokasi usaha."))
    anon = case_submit(Submission(kind="complaint", channel="web", complaint_category=category, title="Pungutan liar",
                       description="Diminta uang di loket.", contact_name="Rahasia", contact_phone="0812-9988-7766",
                       confidentiality="anonymous"))
    complaint = case_submit(Submission(kind="complaint", channel="sms", complaint_category=category, title="Jalan berlubang",
                            description="Di depan pasar.", contact_phone="0812-5000-0002"))
    # office B: counter, administrator and an inspector (in an Inspektorat unit); an escalated case
    from balai.agencies.models import Agency
    from balai.cases.models import Case

    users["counter"] = officer("counter", unit)
    users["admin"] = officer("admin", unit)
    inspektorat = AgencyFactory(short_name="Inspektorat", slug="inspektorat-uji", kind=Agency.Kind.INSPEKTORAT)
    users["inspector"] = officer("inspector", UnitFactory(agency=inspektorat, slug="irban-uji"))
    users["ppid_main"] = officer("ppid_main", UnitFactory(agency=agency, slug="ppid-uji", kind="ppid"))
    counter_case = case_submit(Submission(kind="complaint", channel="counter", complaint_category=category,
                               title="Antrean loket lama", registered_by=users["counter"], contact_channel="none"))
    Case.objects.filter(pk=complaint.pk).update(escalation_level=2)
    data.update(case=case.tracking_code, anon_case=anon.tracking_code, complaint=complaint.tracking_code,
                users=users, agency=agency, unit=unit, service=service.pk, counter_case=counter_case.tracking_code)
    seed_participation_staff(data)
    seed_ict_desk(data)
    seed_ppid_redaction(data)


def seed_ppid_redaction(data: dict) -> None:
    """An answered information request of the seeded agency with a released PDF, one region blacked out."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from balai.agencies.models import Unit
    from balai.cases.services import case_submit, case_transition
    from balai.ppid.documents import html_pdf
    from balai.ppid.models import ArchiveEntry
    from balai.ppid.services import archive_confirm, archive_redact

    case = case_submit(Submission(kind="information_request", channel="web", agency=data["agency"],
                                  title="Data penerima bantuan", description="Mohon daftar penerima bantuan.",
                                  contact_name="Rudi", contact_phone="0812-5000-0003"))
    pdf = html_pdf("<p>Penerima: 120 keluarga</p><p>NIK 6472012345678901</p>")
    main = data["users"]["ppid_main"]
    pelaksana = officer("ppid", Unit.objects.get(slug="ppid-uji", agency=data["agency"]))
    case_transition(case, CaseCommand(action="answer", actor=pelaksana, body="Terlampir; NIK dikecualikan.",
                                      files=[SimpleUploadedFile("penerima.pdf", pdf, content_type="application/pdf")]))
    entry = ArchiveEntry.objects.get(case=case)
    archive_confirm(actor=main, entry=entry, publish=True, question=entry.question, answer=entry.answer,
                    attachment_ids=[a.pk for a in case.attachments.all()])
    document = entry.documents.get()
    archive_redact(actor=main, document=document, regions=[{"page": 1, "x0": 0.1, "y0": 0.1, "x1": 0.5,
                                                                "y1": 0.2}])
    data.update(ppid_entry=entry.pk, ppid_doc=document.pk)


def seed_participation_staff(data: dict) -> None:
    """Processes of the seeded agency: a budget with a paper ballot, a consultation with a comment waiting
    for moderation, a Musrenbang village forum with a proposal on its agenda."""
    from balai.participation import services
    from tests.participation.world import NIKS, budget_process, process, regions

    agency, places = data["agency"], regions()
    budget, _projects = budget_process(slug="anggaran-staf")
    budget.agency = agency
    budget.save(update_fields=["agency"])
    services.ballot_cast(process=budget, nik=NIKS[0], codes=["AAAAA"], channel="paper",
                         location="Kantor Camat Palaran", recorded_by=data["users"]["counter"])
    consult = process("consultation", slug="rancangan-staf", agency=agency)
    draft = services.draft_create(process=consult, title="Rancangan SOP", sections=[("Biaya", "Gratis.")])
    services.comment_submit(draft=draft, section=draft.sections.first(), stance="disagree", text="Perlu jelas.")
    musren = process("musrenbang", slug="musrenbang-staf", agency=agency, region=places["regency"])
    proposal = services.proposal_submit(process=musren, title="Sumur bor", description="…", region=places["v1"],
                                        volume="1 unit", cost=90_000_000, level="village")
    forum = services.forum_for(process=musren, level="village", region=places["v1"])
    services.forum_add(forum=forum, proposal=proposal)
    data.update(pp_staff_budget=budget.slug, pp_staff_consult=consult.slug, pp_staff_musren=musren.slug,
                pp_staff_forum=forum.pk)


def seed_ict_desk(data: dict) -> None:
    """Diskominfo with an ICT agent and ICT services; a ticket of the operator, one waiting for the approval
    of the head (of the operator's agency), and two similar applications."""
    from balai.catalog.models import Service
    from balai.ict.models import Application, ServiceProfile
    from balai.ict.services import DeskRequest, desk_submit
    from tests.factories import AgencyFactory, ServiceFactory, UnitFactory

    diskominfo = AgencyFactory(short_name="Diskominfo", slug="diskominfo-uji")
    ict_unit = UnitFactory(agency=diskominfo, slug="aptika-uji")
    data["users"]["ict_agent"] = officer("ict_agent", ict_unit)
    services = {}
    for code, ticket, approval in (("tik-gangguan-uji", "incident", False), ("tik-aplikasi-uji", "application", True)):
        services[ticket] = ServiceFactory(code=code, kind=Service.Kind.ICT, agency=diskominfo, unit=ict_unit,
                                          name_id=f"Layanan TIK {ticket}", name_en=f"ICT service {ticket}")
        ServiceProfile.objects.create(service=services[ticket], ticket=ticket, needs_agency_head_approval=approval)
    operator = data["users"]["operator"]
    ticket = desk_submit(DeskRequest(service=services["incident"], requester=operator, agency_id=data["agency"].pk,
                                     title="Jaringan kantor putus", impact="high", urgency="medium"))
    proposal = desk_submit(DeskRequest(
        service=services["application"], requester=operator, agency_id=data["agency"].pk, title="Aplikasi pegawai",
        proposal={"name": "E-Pegawai", "spbe_code": "RAB.03.02",
                  "purpose": "Mengelola data kepegawaian ASN: cuti dan absensi pegawai."}))
    for n, agency in enumerate((data["agency"], diskominfo)):
        Application.objects.create(slug=f"simpeg-uji-{n}", name=f"SIMPEG {agency.short_name}", agency=agency,
                                   purpose="Mengelola data kepegawaian ASN: cuti, absensi dan kenaikan pangkat.",
                                   spbe_code="RAB.03.02", status="live", users="staff")
    data.update(ict_incident="tik-gangguan-uji", ict_proposal="tik-aplikasi-uji", ict_case=ticket.tracking_code,
                ict_approval_case=proposal.tracking_code, ict_app="simpeg-uji-0")


def totp_now(key: str = TOTP_KEY) -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(key)):06d}"


def staff_login(page: Any, base_url: str, user: Any, *, password: str = PASSWORD, totp_key: str = TOTP_KEY) -> None:
    """Sign `page` in as `user` through the sign-in forms (no JavaScript needed); `totp_key` (hex) is the
    key of the user's TOTP device."""
    page.goto(base_url + "/kantor/masuk/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.fill("#id_token", totp_now(totp_key))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/kantor/masuk" not in page.url, f"staff sign-in failed at {page.url}"
