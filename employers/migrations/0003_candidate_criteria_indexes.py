"""Indexes for narrowing a ranking to the candidates that can be near its top (issue 6).

The join tables of CandidateProfile.sectors and .skills are Django's own, so their indexes are
made here in SQL both PostgreSQL and SQLite speak. Keyed on the sector or skill first and
holding the profile too, they list a sector's candidates in profile order from the index
alone, so the database intersects "in the sector" with "holds this skill" by merging.
"""

from django.db import migrations, models

INDEXES = [
    ("employers_cps_sector_profile", "employers_candidateprofile_sectors", "sector_id"),
    ("employers_cps_skill_profile", "employers_candidateprofile_skills", "skill_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0002_contacts_sroi_vacancies_candidates_matches"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON {table} ({column}, candidateprofile_id)",
            reverse_sql=f"DROP INDEX {name}",
        )
        for name, table, column in INDEXES
    ] + [
        # The pool's box around the place of work.
        migrations.AddIndex(
            model_name="candidateprofile",
            index=models.Index(
                fields=["latitude", "longitude"], name="employers_cp_location"
            ),
        ),
    ]
