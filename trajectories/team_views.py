"""The team view: branch teams with their figures and signals (trajectories.teams)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render

from trajectories import alerts, teams


@permission_required("trajectories.view_team_figures", raise_exception=True)
def team_list(request):
    """The branch teams the user may see, each with its open trajectories and share to work."""
    rows = [
        (team, teams.WorkShare(work=team.work_count, ended=team.ended_count))
        for team in teams.with_figures(teams.teams_for(request.user))
    ]
    return render(request, "trajectories/team_list.html", {"rows": rows, "nav": "teams"})


@permission_required("trajectories.view_team_figures", raise_exception=True)
def team_detail(request, code):
    """One branch team: clients by route and status, signals, share to work."""
    team = get_object_or_404(teams.teams_for(request.user), code=code)
    show_clients = teams.sees_dossiers(request.user)
    context = {
        "team": team,
        "nav": "teams",
        "share": teams.work_share(team),
        "table": teams.clients_by_route_and_status(team),
        "signals": alerts.signals_for(
            teams.signal_scope(team, request.user), with_clients=show_clients
        ),
        "show_clients": show_clients,
    }
    return render(request, "trajectories/team.html", context)
