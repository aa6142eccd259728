"""The LDAP backend (see sso.py `ldap_settings`): the directory checks the password, cchc decides who
may come in. Only an active account that already exists signs in, matched by the directory's e-mail
(the officials' sheet records it) or else by the user name; nobody is created from the directory.

When the directory cannot be asked (down, unreachable, refusing the search account), the request is
marked so that the login form says so (forms.LoginForm) instead of "wrong password".
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, ldap_error

from cchc.accounts.forms import UNREACHABLE

logger = logging.getLogger(__name__)


def _first(attrs, name: str) -> str:
    values = (attrs or {}).get(name) or []
    return (values[0] if values else "").strip()


class DirectoryBackend(LDAPBackend):
    def get_or_build_user(self, username, ldap_user):
        """(the account, False) for a known person; an unsaved stranger and True otherwise, which
        AUTH_LDAP_NO_NEW_USERS turns into a refusal."""
        User = self.get_user_model()
        active = User.objects.filter(is_active=True)
        mail = _first(ldap_user.attrs, getattr(settings, "CCHC_LDAP_MAIL_ATTR", "mail"))
        user = None
        if mail:
            by_mail = list(active.filter(email__iexact=mail)[:2])
            if len(by_mail) == 1:  # two accounts with one e-mail: the directory cannot say which
                user = by_mail[0]
        if user is None:
            user = active.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()
        if user is None:
            logger.info("LDAP sign-in refused: %s has no account", username)
            return User(**{User.USERNAME_FIELD: username}), True
        name = _first(ldap_user.attrs, "displayName") or _first(ldap_user.attrs, "cn")
        if name and not user.first_name:
            user.first_name = name[:150]
            user.save(update_fields=["first_name"])
        return user, False

    def get_user(self, user_id):
        """The signed-in account on each request: a deactivated one is signed out, as with ModelBackend."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


@receiver(ldap_error)
def _directory_unreachable(sender, context, user, request, exception, **kwargs):
    # A wrong password never arrives here (django-auth-ldap turns it into a plain refusal): any LDAP
    # error means the directory could not answer.
    if request is not None and isinstance(sender, type) and issubclass(sender, DirectoryBackend):
        setattr(request, UNREACHABLE, True)
