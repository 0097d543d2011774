"""The intake that follows a referral answers it. A receiver, so the clients app (below this
one) need not know about referrals; it runs in intake_record's transaction, so a refused
intake answers nothing. Connected in DiagnosisConfig.ready()."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from clients.models import Intake
from diagnosis import services


@receiver(post_save, sender=Intake, dispatch_uid="diagnosis.intake_answers_referral")
def intake_answers_referral(sender, instance: Intake, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        services.referral_answer(intake=instance)
