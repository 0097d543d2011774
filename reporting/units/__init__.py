"""The KPIs of spec/kpis.md, one module each, and UNITS: the registry everything iterates.

`manage.py kpis` (reporting.kpis), the dashboard, the PDF and the xlsx (reporting.report) read
only UNITS, so a new KPI is one module here (a `base.Kpi` with its query, its typed result, its
labels, rows and breakdowns) and its line below.
"""

from reporting.units import (
    contact_coverage,
    flows,
    provisions,
    sheltered_work,
    social_return,
    status_holders,
    two_year_outflow,
    wage_value,
)
from reporting.units.base import Kpi

# In the order of spec/kpis.md: the document's keys and the report's sections follow it.
UNITS: list[Kpi] = [
    two_year_outflow.KPI,
    contact_coverage.KPI,
    status_holders.KPI,
    social_return.KPI,
    sheltered_work.KPI,
    wage_value.KPI,
    provisions.KPI,
    flows.KPI,
]
