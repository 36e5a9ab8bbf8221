"""The routekaart screens: the question walk, the recipient cards and the map.

`RoutekaartPage(services, parent)` is the navigation page (walk without a case);
`RouteWidget(services, case_id, parent)` is the same walk inside a case.
"""

from aandacht.ui.routekaart.map_view import RouteMapView
from aandacht.ui.routekaart.page import RoutekaartPage, RouteSettingsDialog
from aandacht.ui.routekaart.route_widget import RouteWidget

__all__ = ["RouteMapView", "RouteSettingsDialog", "RouteWidget", "RoutekaartPage"]
