from tests.cases.conftest import World, force_state, submit, world  # noqa: F401 - fixtures re-exported
from tests.office.conftest import staff_client  # noqa: F401
