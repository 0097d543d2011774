# KPIs and reports (kpis.md): see issue 9.
