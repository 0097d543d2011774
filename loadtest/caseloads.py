"""Coaches with a coach's caseload, and the logins of the simulated people.

The demo (seed_demo) gives its 5,000 clients to nine coaches: 400 to 600 active clients each,
ten times what a coach holds (CASELOAD_PER_FULL_TIME, 60, and the benchmark's 50). Their start
pages would list hundreds of signals, a page no coach ever sees. loadtest/run therefore runs
`python -m loadtest.caseloads` once after seeding: in each team the clients of the team's
coaches (the demo's main coach keeps their own 40) are spread, by handover, over as many
coaches as give each at most CASELOAD active clients, new coaches of the team where needed
(usernames `lt-<team>-<n>`, the demo's password). It then writes the logins per role (every
active user with the role's group) to the file LOADTEST_ACCOUNTS names, for locust.
"""

import json
import math
import os
import sys
from pathlib import Path

CASELOAD = 50  # active clients per coach at most, as bench/region.py gives them


def spread(caseload: int = CASELOAD) -> int:
    """Spread each team's clients over coaches with at most `caseload` active ones; returns how
    many coaches were added."""
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from clients import handover
    from clients.models import Client, CoachChangeReason
    from core import roles
    from core.demo import MAIN_COACH
    from core.models import Team, User

    today = timezone.localdate()
    main = User.objects.get(username=MAIN_COACH)
    coaches_group = Group.objects.get(name=roles.WORK_COACH)
    added = 0
    with transaction.atomic():
        for team in Team.objects.order_by("name"):
            coaches = list(
                team.members.filter(groups=coaches_group, is_active=True)
                .exclude(pk=main.pk)
                .order_by("username")
            )
            clients = Client.objects.filter(team=team, coach__in=coaches)
            active = list(clients.active_on(today).order_by("pk").values_list("pk", flat=True))
            needed = math.ceil(len(active) / caseload)
            for n in range(len(coaches) + 1, needed + 1):
                coach = User.objects.create(
                    username=f"lt-{slugify(team.name)}-{n}",
                    first_name="Coach",
                    last_name=f"{team.name} {n}",
                    password=main.password,  # the demo's password, hashed once by seed_demo
                )
                coach.groups.add(coaches_group)
                team.members.add(coach)
                coaches.append(coach)
                added += 1
            if not coaches:
                continue
            # Round robin over the active clients first, then the others: each coach gets as
            # many active clients as the next, and a share of those who left.
            others = clients.exclude(pk__in=active).order_by("pk").values_list("pk", flat=True)
            order = active + list(others)
            targets = {pk: (team.pk, coaches[i % len(coaches)].pk) for i, pk in enumerate(order)}
            rows = list(
                Client.objects.filter(pk__in=order)
                .select_for_update()
                .values_list(*handover.ROW_FIELDS)
            )
            moving = [row for row in rows if row[-1] != targets[row[0]][1]]
            if moving:
                handover.clients_move(
                    actor=main,
                    rows=moving,
                    targets=targets,
                    reason=CoachChangeReason.HANDOVER,
                    note="load test: a coach's caseload",
                )
    return added


def accounts() -> dict[str, list[str]]:
    """The logins per role the simulated people use: every active user with the role's group."""
    from core import roles
    from core.models import User

    return {
        role: list(
            User.objects.filter(groups__name=role, is_active=True)
            .order_by("username")
            .values_list("username", flat=True)
        )
        for role in (roles.WORK_COACH, roles.ACCOUNT_MANAGER, roles.MANAGER)
    }


def main() -> int:
    import django

    django.setup()
    if "--spread" in sys.argv:
        added = spread()
        print(f"{added} coaches added: at most {CASELOAD} active clients per coach")
    Path(os.environ["LOADTEST_ACCOUNTS"]).write_text(json.dumps(accounts()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
