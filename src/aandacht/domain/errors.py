"""Errors the core raises. Every message is Dutch and fit to show to the AF as is."""


class AandachtError(Exception):
    """Base class: `str(err)` is a complete Dutch sentence for the user."""


class ValidationError(AandachtError):
    """Input the user can correct; `field` names the offending field when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ContentError(AandachtError):
    """A content file (resources/content/*.toml or an imported file) is malformed."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


class NotAllowed(AandachtError):
    """A request the rules forbid (e.g. a `never` field on a handover sheet)."""
