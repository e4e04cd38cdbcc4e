"""Enrolment for the first-run wizard: the same checks and steps as ``kiosk provision``."""

from __future__ import annotations

from kiosk.provisioning.enrol import EnrolmentFailed, InvalidValues, enrol, first_sync
from kiosk.provisioning.probe import code_problem, platform_problem
from kiosk.provisioning.validate import (
    CODE_RE,
    Enrolment,
    counties,
    full_name,
    hub_problem,
    number,
    problems,
    regions,
    towns,
)
from kiosk.sync.errors import EXIT_OK

__all__ = [
    "CODE_RE",
    "EXIT_OK",
    "Enrolment",
    "EnrolmentFailed",
    "InvalidValues",
    "code_problem",
    "counties",
    "enrol",
    "first_sync",
    "full_name",
    "hub_problem",
    "number",
    "platform_problem",
    "problems",
    "regions",
    "towns",
]
