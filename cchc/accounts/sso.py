"""Optional sign-in with the province's directory through OpenID Connect (mozilla-django-oidc),
off unless OIDC_RP_CLIENT_ID is set in the environment. Only people who already have an account
(imported from the officials' .xlsx, or created by a coordinator) get in, matched by e-mail: the
directory proves who someone is, cchc decides what they may do (their memberships).

Environment (the library's own setting names):
  OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET       the client registered at the directory
  OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT
  OIDC_RP_SIGN_ALGO                             default RS256

This module is read by settings.py: no Django import at module level.
"""

from __future__ import annotations

REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
BACKEND = "cchc.accounts.oidc.DirectoryBackend"


def oidc_settings(env) -> dict:
    """The settings to add for the environment: CCHC_OIDC False when sign-in is off."""
    if not env.get("OIDC_RP_CLIENT_ID"):
        return {"CCHC_OIDC": False}
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Đăng nhập OpenID Connect: thiếu biến môi trường " + ", ".join(missing) + ".")
    return {
        "CCHC_OIDC": True,
        **{name: env[name] for name in REQUIRED},
        "OIDC_RP_SIGN_ALGO": env.get("OIDC_RP_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_CREATE_USER": False,  # accounts come from the officials' list, never from the directory
        "LOGIN_REDIRECT_URL_FAILURE": "/dang-nhap/?sso=0",
    }


def context(request) -> dict:
    from django.conf import settings

    return {"oidc_enabled": getattr(settings, "CCHC_OIDC", False)}
