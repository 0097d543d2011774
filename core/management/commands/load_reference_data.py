from django.core.management.base import BaseCommand

from core.reference import load_reference_data
from employers import reference as employer_reference
from placements import reference as placement_reference
from trajectories import reference as trajectory_reference


class Command(BaseCommand):
    help = (
        "Load the reference data again: every municipality of core/data/municipalities.csv, the "
        "role groups, routes, branch teams, activity kinds, wage-cost subsidy parameters and "
        "the lists of matching. `migrate` already loads them; this repairs a database changed "
        "by hand (safe to run again: rows an administrator changed, the service area and "
        "coordinates are kept)."
    )

    def handle(self, *args, **options):
        counts = load_reference_data()
        lists = trajectory_reference.load()
        lists |= placement_reference.load()
        matching = employer_reference.load()
        self.stdout.write(
            f"Reference data loaded: {counts['municipalities']} municipalities "
            f"({counts['municipalities_created']} new), {counts['roles']} roles, "
            f"{lists['routes']} new routes, {lists['branch_teams']} new branch teams, "
            f"{lists['activity_kinds']} new activity kinds, "
            f"{lists['wage_parameters']} new wage-cost subsidy parameter rows; "
            f"{matching['sectors']} new sectors, {matching['skills']} new skills, "
            f"{matching['rejection_reasons']} new rejection reasons, "
            f"{matching['sroi_rules']} new Social Return rules."
        )
