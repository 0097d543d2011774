"""How fast a ranking is next to a plain filtered list, at 100,000 candidates (issue 6).

By default in a throwaway database (the test database of the configured one: `test_<name>`,
created and dropped again), filled with --clients candidates; --use-existing measures the
configured database as it is (after seed_demo, say). Both sides are what a page runs: the
count and the first page of 25 rows, warm, the median of --repeat runs.
"""

import datetime
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench.matching import PAGE


class Command(BaseCommand):
    help = "Time a candidate ranking against a plain filtered list of candidates."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--use-existing",
            action="store_true",
            help="Measure the configured database's own candidates and its first open vacancy.",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the throwaway database afterwards."
        )

    def handle(self, *args, clients, repeat, seed, use_existing, keep, **options):
        if use_existing:
            self.measure(repeat)
            return
        if clients < 1:
            raise CommandError("--clients must be at least 1.")
        old_name = connection.settings_dict["NAME"]
        creation = connection.creation
        self.stdout.write(f"Creating a throwaway database ({connection.vendor}) ...")
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            started = time.perf_counter()
            self.fill(clients, seed)
            self.stdout.write(
                f"{clients} candidates written in {time.perf_counter() - started:.1f} s"
            )
            self.measure(repeat)
        finally:
            if not keep:
                creation.destroy_test_db(old_name, verbosity=0)

    def fill(self, count: int, seed: int):
        from clients.models import Client
        from core.demo import bsns_from_test_range
        from core.models import Municipality
        from core.reference import load_reference_data
        from employers import reference, services
        from employers.models import CandidateProfile, Employer, Sector, Skill

        load_reference_data()
        reference.load()
        rng = random.Random(seed)
        towns = list(Municipality.objects.exclude(latitude=None))
        sectors = list(Sector.objects.values_list("pk", flat=True))
        skills = list(Skill.objects.values_list("pk", flat=True))
        bsns = bsns_from_test_range()
        today = datetime.date.today()
        chunk = 5000
        with transaction.atomic():
            for start in range(0, count, chunk):
                size = min(chunk, count - start)
                rows = []
                for i in range(size):
                    town = rng.choice(towns)
                    rows.append(
                        Client(
                            first_name=f"Voornaam{start + i}",
                            last_name=f"Achternaam{rng.randrange(count)}",
                            bsn=next(bsns),
                            birth_date=datetime.date(1960 + rng.randrange(45), 1, 1),
                            municipality=town,
                            target_group="social_assistance",
                            target_group_register=rng.random() < 0.3,
                            registered_on=today - datetime.timedelta(days=rng.randrange(900)),
                        )
                    )
                made = Client.objects.bulk_create(rows, batch_size=1000)
                profiles = CandidateProfile.objects.bulk_create(
                    [
                        CandidateProfile(
                            client_id=c.pk,
                            hours_per_week=rng.choice([16, 20, 24, 32, 36]),
                            available_from=today + datetime.timedelta(days=rng.randint(-60, 60)),
                            language_level="b1",
                            driving_licence=rng.random() < 0.5,
                            open_for_matching=rng.random() < 0.9,
                            latitude=float(c.municipality.latitude),
                            longitude=float(c.municipality.longitude),
                        )
                        for c in made
                    ],
                    batch_size=1000,
                )
                sector_links, skill_links = [], []
                for p in profiles:
                    for s in rng.sample(sectors, 2):
                        sector_links.append(
                            CandidateProfile.sectors.through(candidateprofile_id=p.pk, sector_id=s)
                        )
                    for s in rng.sample(skills, 3):
                        skill_links.append(
                            CandidateProfile.skills.through(candidateprofile_id=p.pk, skill_id=s)
                        )
                CandidateProfile.sectors.through.objects.bulk_create(sector_links, batch_size=1000)
                CandidateProfile.skills.through.objects.bulk_create(skill_links, batch_size=1000)
            employer = Employer.objects.create(name="Bench B.V.")
            services.vacancy_register(
                actor=None,
                employer=employer,
                title="Orderpicker",
                sector=Sector.objects.get(code="logistics"),
                hours_per_week=32,
                municipality=Municipality.objects.get(name="Assen"),
                register_rule="suitable",
                skills=Skill.objects.filter(code__in=["order_picking", "forklift"]),
            )
        with connection.cursor() as cursor:
            # As autovacuum leaves a live database: statistics, and on PostgreSQL the
            # visibility map that lets index-only scans skip the table.
            # (VACUUM cannot run in a transaction, as in a test.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")

    def measure(self, repeat: int):
        from bench import matching as sides
        from employers.models import CandidateProfile, Vacancy

        vacancy = Vacancy.objects.open().order_by("pk").first()
        if vacancy is None:
            raise CommandError("No open vacancy to rank candidates for.")
        matchable = CandidateProfile.objects.matchable()

        def plain():
            return sides.plain(matchable)

        def ranking(*, pool=True):
            return sides.ranking(vacancy, matchable, pool=pool)

        runs = {
            "plain filtered list": plain,
            "ranking": ranking,
            "ranking, scoring everyone": lambda: ranking(pool=False),
        }
        for run in runs.values():
            run()  # warm the cache
        # Taken in turns, so that a noisy moment of the machine falls on every side alike.
        times = {name: [] for name in runs}
        outcome = {}
        for _ in range(repeat):
            for name, run in runs.items():
                started = time.perf_counter()
                outcome[name] = run()
                times[name].append(time.perf_counter() - started)
        results = {name: (statistics.median(times[name]), *outcome[name]) for name in runs}
        plain_s, n, _ = results["plain filtered list"]
        self.stdout.write(
            f"{connection.vendor}: {n} matchable candidates, page of {PAGE} with the count, "
            f"median of {repeat}"
        )
        self.stdout.write(f"  plain filtered list:        {plain_s * 1000:8.1f} ms")
        rank_s, _n, attempts = results["ranking"]
        pools = ", ".join("everyone" if a is None else f"{a:g} points" for a in attempts)
        self.stdout.write(
            f"  ranking:                    {rank_s * 1000:8.1f} ms  (pools: {pools})"
        )
        all_s, _n, _ = results["ranking, scoring everyone"]
        self.stdout.write(f"  ranking, scoring everyone:  {all_s * 1000:8.1f} ms  (the fallback)")
        self.stdout.write(f"  ratio ranking / plain:      {rank_s / plain_s:8.2f}")
