"""The participation process editor in a browser: without JavaScript, a refused form comes back with
every error linked from the summary and everything typed still there; the error page passes axe."""

from __future__ import annotations

import pytest

from tests.browser.staff import seed_staff, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(transactional_db) -> dict:
    data: dict = {}
    seed_staff(data)
    return data


def _submit_with_overlapping_phases(page, base_url: str, data: dict) -> None:
    staff_login(page, base_url, data["users"]["head"])
    page.goto(base_url + "/kantor/partisipasi/baru/")
    page.fill("#id_title_id", "Konsultasi rancangan standar pelayanan air bersih")
    page.select_option("#id_kind", "consultation")
    page.fill("#id_phase_information_starts", "2027-03-01")
    page.fill("#id_phase_information_ends", "2027-03-20")
    page.fill("#id_phase_proposals_starts", "2027-03-15")
    page.fill("#id_phase_proposals_ends", "2027-04-15")
    page.fill("#id_section_0_heading", "Biaya sambungan")
    page.locator("main form button[type=submit]:not([name=more])").click()
    page.wait_for_load_state()


def test_a_refused_form_keeps_the_input_without_javascript(data, live_server, page_nojs):
    _submit_with_overlapping_phases(page_nojs, live_server.url, data)
    summary = page_nojs.locator(".error-summary")
    assert summary.is_visible()
    assert "tanpa tumpang tindih" in summary.inner_text()
    assert page_nojs.locator("#id_title_id").input_value() == "Konsultasi rancangan standar pelayanan air bersih"
    assert page_nojs.locator("#id_phase_proposals_starts").input_value() == "2027-03-15"
    assert page_nojs.locator("#id_section_0_heading").input_value() == "Biaya sambungan"
    # the summary links to the field at fault
    assert summary.locator("a[href='#id_phase_proposals_starts']").count() == 1


def test_the_error_page_passes_axe(data, live_server, page, axe_check):
    _submit_with_overlapping_phases(page, live_server.url, data)
    assert page.locator(".error-summary").is_visible()
    axe_check(page)
