"""Handover screens: the overdracht dialog and the Verstrekkingen page."""


def handover_service(services):
    """The handover service of `services`, wired on first use when the composition root
    has not done it (it only needs the vault, the case service and the settings)."""
    if getattr(services, "handover", None) is None:
        from aandacht.services.handover import HandoverService

        services.handover = HandoverService(services.vault, services.cases, services.settings)
    return services.handover
