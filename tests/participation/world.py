"""Test data for participation: a small Samarinda world, a process per kind, valid NIKs."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from balai.agencies.models import Region
from balai.participation.models import Phase, PhaseKind, Process, Proposal
from tests.factories import AgencyFactory, RegionFactory

NIKS = ["6472015505900001", "6472011203850002", "6472012107920003", "6472014408880004", "6472010101700005",
        "6472016602010006", "6472010303030007", "6472015012990008"]
PHONES = ["081234567801", "081234567802", "081234567803", "081234567804", "081234567805", "081234567806",
          "081234567807", "081234567808"]


def regions() -> dict[str, Region]:
    province = RegionFactory()
    regency = RegionFactory(code="64.72", name="Kota Samarinda", level=Region.Level.REGENCY, parent=province)
    district = RegionFactory(code="64.72.01", name="Palaran", level=Region.Level.DISTRICT, parent=regency)
    v1 = RegionFactory(code="64.72.01.1001", name="Rawa Makmur", level=Region.Level.VILLAGE, parent=district)
    v2 = RegionFactory(code="64.72.01.1002", name="Handil Bakti", level=Region.Level.VILLAGE, parent=district)
    return {"province": province, "regency": regency, "district": district, "v1": v1, "v2": v2}


def process(kind: str = "proposals", *, slug: str = "usulan-2027", phases=("proposals",), region=None,
            agency=None, **extra) -> Process:
    today = timezone.localdate()
    region = region or regions()["regency"]
    proc = Process.objects.create(
        slug=slug, kind=kind, title_id="Usulan warga Samarinda 2027", title_en="Samarinda residents' proposals",
        decides_id="Kegiatan yang didanai tahun 2027.", deciders_id="Wali Kota bersama DPRD.",
        input_use_id="Setiap usulan dijawab.", agency=agency or AgencyFactory(), region=region,
        is_published=True, **extra)
    for kind_ in PhaseKind.values:
        open_ = kind_ in phases
        start = today - timedelta(days=5) if open_ else today + timedelta(days=30)
        Phase.objects.create(process=proc, kind=kind_, starts_on=start, ends_on=start + timedelta(days=20))
    return proc


def budget_process(*, ballot_kind: str = "knapsack", budget: int = 1_000, max_choices: int | None = None,
                   costs: dict[str, int] | None = None, slug: str = "anggaran-2027") -> tuple[Process, dict]:
    """A budget process open for voting with projects coded as the keys of `costs`."""
    places = regions()
    proc = process("budget", slug=slug, phases=("voting",), region=places["regency"], budget=budget,
                   ballot_kind=ballot_kind, max_choices=max_choices)
    projects = {}
    for code, cost in (costs or {"AAAAA": 600, "CCCCC": 300, "DDDDD": 200, "EEEEE": 500}).items():
        projects[code] = Proposal.objects.create(process=proc, code=code, title=f"Proyek {code}",
                                                 description="…", region=places["v1"], feasible=True, cost=cost)
    return proc, projects
