"""Enrolment for the first-run wizard: the same checks and steps as ``kiosk provision``."""

from __future__ import annotations

from kiosk.provisioning.enrol import EnrolmentFailed, InvalidValues, enrol, first_sync
from kiosk.provisioning.probe import platform_problem
from kiosk.provisioning.validate import Enrolment, counties, full_name, number, problems, regions, towns
from kiosk.sync.errors import EXIT_OK

__all__ = [
    "EXIT_OK",
    "Enrolment",
    "EnrolmentFailed",
    "InvalidValues",
    "counties",
    "enrol",
    "first_sync",
    "full_name",
    "number",
    "platform_problem",
    "problems",
    "regions",
    "towns",
]
