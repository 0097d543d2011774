"""What projects do when something happens in a lower app (registered in ProjectsConfig.ready)."""

from placements.services import PLACEMENT_STARTED
from projects import services


@PLACEMENT_STARTED.register(10)
def placement_started(actor, placement) -> None:
    """A placement that starts, secondment included, moves the client's admitted memberships of
    open projects to their "placed" stage (never back from a later one)."""
    services.members_placed(actor=actor, client=placement.client, on=placement.start_date)
