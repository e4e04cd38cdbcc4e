"""Which screen answers which route, and which services it gets. Screen modules load on first use."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.services import Services
    from kiosk.ui.navigator import Navigator, Screen

#: route → (module under kiosk.ui.screens, class name, the Services attributes it receives)
SCREENS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "home": ("home", "HomeScreen", ("home",)),
    "search": ("search", "SearchScreen", ("search", "laws", "home", "guides", "@background", "resident")),
    "laws": ("laws", "LawsScreen", ("laws", "@background")),
    "reader": ("reader", "ReaderScreen", ("laws", "@share_base")),
    "directory": ("directory", "DirectoryScreen", ("directory",)),
    "institution": ("institution", "InstitutionScreen", ("directory",)),
    "person": ("institution", "PersonScreen", ("directory",)),
    "cases": ("cases", "CasesScreen", ("cases", "search", "@background", "resident")),
    "case": ("cases", "CaseScreen", ("cases",)),
    "guides": ("guides", "GuidesScreen", ("guides",)),
    "guide": ("guides", "GuideScreen", ("guides", "laws")),
    "publicity": ("publicity", "PublicityScreen", ("publicity",)),
    "publicity_item": ("publicity", "PublicityItemScreen", ("publicity",)),
    "legal_aid": ("legal_aid", "LegalAidScreen", ("laws", "directory", "resident", "config")),
    "consult": ("consult", "ConsultScreen", ("consult", "config", "resident", "@background")),
    "feedback": ("rating", "FeedbackScreen", ()),
    "rating": ("rating", "RatingScreen", ("resident",)),
    "request": ("request", "RequestScreen", ("resident", "directory")),
    "attract": ("attract", "AttractScreen", ("publicity", "home")),
    "admin_pin": ("admin", "AdminPinScreen", ("admin_pin", "@background")),
    "admin": ("admin", "AdminScreen", ("@admin_actions",)),
}

#: Routes a resident reaches (the admin ones are behind the hidden gesture and the PIN).
RESIDENT_ROUTES = tuple(r for r in SCREENS if r not in ("admin_pin", "admin", "attract"))


def factory(route: str, services: Services, extras: dict[str, Any]) -> Callable[[Navigator], Screen]:
    module_name, class_name, needs = SCREENS[route]

    def make(nav: Navigator) -> Screen:
        module = importlib.import_module(f"kiosk.ui.screens.{module_name}")
        cls = getattr(module, class_name)
        args = [extras[n[1:]] if n.startswith("@") else getattr(services, n) for n in needs]
        screen: Screen = cls(nav, *args)
        return screen

    return make


def register_all(nav: Navigator, services: Services, extras: dict[str, Any]) -> None:
    for route in SCREENS:
        nav.register(route, factory(route, services, extras))
