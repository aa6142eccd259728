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


# --- LDAP (django-auth-ldap), the other way a province's directory can be used. ---
# Off unless CCHC_LDAP_URI is set; needs the optional extra (`make setup-ldap`). The login form
# stays the same: the password typed is checked against the directory (after the local one), and
# only an existing active account matched by the directory's e-mail or by the user name signs in.
#   CCHC_LDAP_URI             ldap://ldap.thanhhoa.gov.vn or ldaps://… (several, space-separated)
#   CCHC_LDAP_USER_BASE       where people are searched, e.g. ou=people,dc=thanhhoa,dc=gov,dc=vn
#   CCHC_LDAP_USER_FILTER     default (|(uid=%(user)s)(mail=%(user)s)); %(user)s is what was typed
#   CCHC_LDAP_BIND_DN, CCHC_LDAP_BIND_PASSWORD   the search account (anonymous search when unset)
#   CCHC_LDAP_START_TLS       1 to upgrade an ldap:// connection with StartTLS
#   CCHC_LDAP_CA_FILE         the CA certificate(s) the directory's certificate is checked against
#   CCHC_LDAP_MAIL_ATTR       default mail; CCHC_LDAP_TIMEOUT seconds, default 5
LDAP_BACKEND = "cchc.accounts.ldap_backend.DirectoryBackend"
LDAP_REQUIRED = ("CCHC_LDAP_URI", "CCHC_LDAP_USER_BASE")


def _flag(value) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def ldap_settings(env) -> dict:
    """The settings to add for the environment: CCHC_LDAP False when LDAP sign-in is off."""
    if not env.get("CCHC_LDAP_URI"):
        return {"CCHC_LDAP": False}
    from django.core.exceptions import ImproperlyConfigured

    missing = [name for name in LDAP_REQUIRED if not env.get(name)]
    if env.get("CCHC_LDAP_BIND_DN") and not env.get("CCHC_LDAP_BIND_PASSWORD"):
        missing.append("CCHC_LDAP_BIND_PASSWORD")
    if missing:
        raise ImproperlyConfigured("Đăng nhập LDAP: thiếu biến môi trường " + ", ".join(missing) + ".")
    try:
        import ldap
        from django_auth_ldap.config import LDAPSearch
    except ImportError as exc:
        raise ImproperlyConfigured(
            "Đăng nhập LDAP: chưa cài python-ldap và django-auth-ldap (chạy `make setup-ldap`)."
        ) from exc
    timeout = float(env.get("CCHC_LDAP_TIMEOUT") or 5)
    out = {
        "CCHC_LDAP": True,
        "CCHC_LDAP_MAIL_ATTR": env.get("CCHC_LDAP_MAIL_ATTR") or "mail",
        "AUTH_LDAP_SERVER_URI": env["CCHC_LDAP_URI"],
        "AUTH_LDAP_BIND_DN": env.get("CCHC_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("CCHC_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            env["CCHC_LDAP_USER_BASE"],
            ldap.SCOPE_SUBTREE,
            env.get("CCHC_LDAP_USER_FILTER") or "(|(uid=%(user)s)(mail=%(user)s))",
        ),
        "AUTH_LDAP_START_TLS": _flag(env.get("CCHC_LDAP_START_TLS")),
        # Accounts come from the officials' list, never from the directory; the directory only
        # checks the password, and never overwrites what the province recorded about the person.
        "AUTH_LDAP_NO_NEW_USERS": True,
        "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
        "AUTH_LDAP_USER_ATTR_MAP": {},
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: timeout,
            ldap.OPT_TIMEOUT: timeout,
            ldap.OPT_REFERRALS: 0,
        },
    }
    if env.get("CCHC_LDAP_CA_FILE"):
        out["AUTH_LDAP_GLOBAL_OPTIONS"] = {ldap.OPT_X_TLS_CACERTFILE: env["CCHC_LDAP_CA_FILE"]}
    return out
