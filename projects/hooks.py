"""What projects do when something happens in a lower app (registered in ProjectsConfig.ready)."""

from placements.hooks import PLACED_KINDS
from placements.services import PLACEMENT_STARTED
from projects import services


@PLACEMENT_STARTED.register(10)
def placement_started(actor, placement) -> None:
    """A placement that starts moves the client's admitted memberships of open projects to
    their "placed" stage (never back from a later one). Only a job counts, secondment and
    sheltered work included: the kinds that also take a client out of matching
    (placements.hooks.PLACED_KINDS); a work-development place or a trial does not."""
    if placement.kind not in PLACED_KINDS:
        return
    services.members_placed(
        actor=actor, client=placement.client, on=placement.start_date, ended=placement.end_date
    )
