"""The roles of the product and the model permissions each one carries.

A role is a Django group named by its code. `sync_roles()` makes the groups match this table;
it runs after every `migrate`, so a fresh database and an upgraded one agree with the code.
Which *objects* a user may see (their own team's clients) is a rule on the QuerySets
(`Client.objects.for_user`), not a permission row.
"""

from django.utils.translation import gettext_lazy as _

WORK_COACH = "work_coach"
DIAGNOSIS_CONSULTANT = "diagnosis_consultant"
ACCOUNT_MANAGER = "account_manager"
MANAGER = "manager"
FUNCTIONAL_ADMIN = "functional_admin"

LABELS = {
    WORK_COACH: _("Work coach"),
    DIAGNOSIS_CONSULTANT: _("Diagnosis consultant"),
    ACCOUNT_MANAGER: _("Account manager"),
    MANAGER: _("Manager"),
    FUNCTIONAL_ADMIN: _("Functional administrator"),
}

_CASEWORK = [
    "clients.view_client",
    "clients.add_client",
    "clients.change_client",
    "clients.view_contact",
    "clients.add_contact",
    "clients.view_intake",
    "clients.add_intake",
    "clients.view_ladderobservation",
    "clients.add_ladderobservation",
]

PERMISSIONS = {
    WORK_COACH: _CASEWORK,
    DIAGNOSIS_CONSULTANT: _CASEWORK,
    ACCOUNT_MANAGER: [],
    MANAGER: [],
    FUNCTIONAL_ADMIN: [
        "core.view_user",
        "core.add_user",
        "core.change_user",
        "core.view_team",
        "core.add_team",
        "core.change_team",
        "core.view_municipality",
        "core.add_municipality",
        "core.change_municipality",
        "auth.view_group",
    ],
}


def sync_roles(**kwargs):
    """Create the role groups and give each exactly the permissions of PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
