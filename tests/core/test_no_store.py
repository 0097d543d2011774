"""Pages with personal data are not kept by the browser: Back after logout shows nothing."""

from django.urls import reverse


def test_a_dossier_and_the_caseload_are_never_stored(coach_client, client_of_coach):
    for url in (reverse("clients:detail", args=[client_of_coach.pk]), reverse("clients:list")):
        response = coach_client.get(url)
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, url


def test_a_static_file_keeps_its_own_caching_for_a_logged_in_user(client, coach):
    client.force_login(coach)
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert "public" in robots["Cache-Control"]
    assert "no-store" not in robots["Cache-Control"]
