"""Social Return progress: the placements that count towards each obligation, weighted.

A placement of the employer marked as Social Return (`Placement.sroi`) counts towards the
obligation whose period holds its start date (periods of one employer do not overlap, see
services.sroi_obligation_add). It counts once, or with the weight of the SroiRule valid on its
start date when the client was 50 to 54 (weight_50_plus) or 55 or older (weight_55_plus) on that
date. An obligation in euro counts each weighted placement at the rule's value_per_placement.
Computed by the database: one query for any number of obligations.
"""

from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from employers.models import SroiObligation, SroiRule
from placements.models import Placement

MONEY = DecimalField(max_digits=14, decimal_places=2)
WEIGHT = DecimalField(max_digits=8, decimal_places=2)


def _rule(field: str):
    rule = SroiRule.objects.filter(valid_from__lte=OuterRef("start_date")).order_by("-valid_from")
    return Subquery(rule.values(field)[:1], output_field=WEIGHT if "weight" in field else MONEY)


def counted_placements():
    """Social Return placements annotated with `age` (on the start date), `weight`, `worth`."""
    birthday_not_yet = Q(start_month__lt=F("birth_month")) | Q(
        start_month=F("birth_month"), start_day__lt=F("birth_day")
    )
    return (
        Placement.objects.filter(sroi=True)
        .annotate(
            start_month=ExtractMonth("start_date"),
            start_day=ExtractDay("start_date"),
            birth_month=ExtractMonth("client__birth_date"),
            birth_day=ExtractDay("client__birth_date"),
        )
        .annotate(
            age=ExtractYear("start_date")
            - ExtractYear("client__birth_date")
            - Case(When(birthday_not_yet, then=Value(1)), default=Value(0))
        )
        .annotate(
            weight=Case(
                When(age__gte=55, then=Coalesce(_rule("weight_55_plus"), Value(Decimal(1)))),
                When(age__gte=50, then=Coalesce(_rule("weight_50_plus"), Value(Decimal(1)))),
                default=Value(Decimal(1)),
                output_field=WEIGHT,
            ),
        )
        .annotate(
            worth=F("weight") * Coalesce(_rule("value_per_placement"), Value(Decimal(0))),
        )
    )


def _for_obligation(field: str, aggregate):
    placements = (
        counted_placements()
        .filter(
            employer=OuterRef("employer"),
            start_date__gte=OuterRef("start_date"),
            start_date__lte=OuterRef("end_date"),
        )
        .order_by()
        .values("employer")
        .annotate(total=aggregate)
        .values("total")[:1]
    )
    return Subquery(placements)


def with_progress(obligations=None):
    """Obligations annotated with `placements` (counted), `aged_50`, `aged_55`, `weighted`
    (placements with their weights) and `worth` (euro), each 0 when nothing counts yet."""
    obligations = SroiObligation.objects.all() if obligations is None else obligations
    return obligations.annotate(
        placements=Coalesce(_for_obligation("pk", Count("pk")), 0),
        aged_50=Coalesce(_for_obligation("pk", Count("pk", filter=Q(age__gte=50, age__lt=55))), 0),
        aged_55=Coalesce(_for_obligation("pk", Count("pk", filter=Q(age__gte=55))), 0),
        weighted=Coalesce(
            _for_obligation("pk", Sum("weight")), Value(Decimal(0)), output_field=WEIGHT
        ),
        worth=Coalesce(_for_obligation("pk", Sum("worth")), Value(Decimal(0)), output_field=MONEY),
    )


def share_done(obligation) -> Fraction:
    """How far an annotated obligation is, exactly: weighted placements against the number
    asked, or their worth against the amount; at most 1. Shown with `{{ done|share }}`."""
    if obligation.placements_required:
        done = Fraction(Decimal(obligation.weighted)) / obligation.placements_required
    elif obligation.target_amount:
        done = Fraction(Decimal(obligation.worth)) / Fraction(Decimal(obligation.target_amount))
    else:
        return Fraction(0)
    return min(Fraction(1), done)


def percent_done(obligation) -> int:
    """The same in whole percents, for the value of a progress bar (its text is `share_done`)."""
    return int(share_done(obligation) * 100)


def progress_list(obligations) -> list:
    """The obligations read with their progress, each with `done` (share_done) and `percent`
    (percent_done) set: what the employer's panel and the overview show."""
    rows = list(with_progress(obligations))
    for obligation in rows:
        obligation.done = share_done(obligation)
        obligation.percent = percent_done(obligation)
    return rows
