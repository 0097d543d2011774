"""A client's postcode or municipality changed: locate their candidate profile again."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from clients.models import Client
from employers import locations
from employers.models import CandidateProfile

# What a profile's place is taken from (employers.locations).
PLACE_FIELDS = {"postcode", "municipality", "municipality_id"}


@receiver(post_save, sender=Client, dispatch_uid="employers.locate_candidate")
def locate_candidate(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created:
        return  # a new client has no profile yet; fixtures are loaded as they are
    if update_fields is not None and not PLACE_FIELDS & set(update_fields):
        return  # a save of named fields that leaves the place alone
    locations.refresh_candidates(CandidateProfile.objects.filter(client_id=instance.pk))
