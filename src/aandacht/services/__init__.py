"""Qt-free use cases. `Services` bundles them for the UI; `build_services` wires them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Services:
    vault: Any
    settings: Any
    cases: Any
    meldcode: Any = None
    routekaart: Any = None
    sociale_kaart: Any = None
    handover: Any = None
    reports: Any = None


def build_services(vault) -> Services:
    from aandacht.services.cases import CaseService

    from aandacht.services.handover import HandoverService
    from aandacht.services.meldcode import MeldcodeService
    from aandacht.services.reports import ReportService
    from aandacht.services.routekaart import RoutekaartService
    from aandacht.services.sociale_kaart import SocialeKaartService

    cases = CaseService(vault)
    routekaart = RoutekaartService(cases, vault.settings)
    return Services(vault=vault, settings=vault.settings, cases=cases,
                    meldcode=MeldcodeService(cases),
                    handover=HandoverService(
                        vault, cases, vault.settings,
                        gemeente_setting=lambda name: routekaart.setting_values().get(name)),
                    routekaart=routekaart,
                    sociale_kaart=SocialeKaartService(vault.settings),
                    reports=ReportService(vault, cases, vault.settings))
