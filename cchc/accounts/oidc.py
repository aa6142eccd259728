"""The OpenID Connect backend (see sso.py): an active account with the directory's e-mail, or nobody."""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class DirectoryBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def update_user(self, user, claims):
        name = (claims.get("name") or "").strip()
        if name and not user.first_name:
            user.first_name = name[:150]
            user.save(update_fields=["first_name"])
        return user
