"""The meldcode tab of a case: `MeldcodeWidget(services, case_id, parent=None)`."""

from aandacht.ui.meldcode.widget import MeldcodeWidget

__all__ = ["MeldcodeWidget"]
