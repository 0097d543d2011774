# Plan versions are made and signed through the dossier only (plans.services): a version is
# never edited afterwards, so the admin does not offer it.
