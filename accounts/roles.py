from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COACH = "coach", _("Coach")
    COACHEE = "coachee", _("Coachee")
    ORG_MANAGER = "org_manager", _("Organisation manager")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    ICT_LINE_MANAGER = "ict_line_manager", _("ICT line manager")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    IT_ADMIN = "it_admin", _("IT administrator")


# Pluform's own staff: they belong to no customer organisation.
STAFF_ROLES = frozenset(
    {Role.CUSTOMER_SERVICE, Role.ICT_LINE_MANAGER, Role.ACCOUNT_MANAGER, Role.IT_ADMIN}
)
# Roles that may take part in coaching content (dialogue, interventions, toolbox, dossier).
CONTENT_ROLES = frozenset({Role.COACH, Role.COACHEE})
# Roles that must set up two-factor authentication before they can use anything.
MFA_REQUIRED_ROLES = frozenset({Role.COACH, Role.ORG_MANAGER}) | STAFF_ROLES
