"""Optional sign-in with the province's OpenID Connect directory (cchc/accounts/sso.py): off by
default; when on, only an existing active account with the directory's e-mail gets in."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from cchc.accounts.sso import REQUIRED, oidc_settings

ENV = {name: f"https://sso.thanhhoa.gov.vn/{name.lower()}" for name in REQUIRED}
ENV["OIDC_RP_CLIENT_ID"], ENV["OIDC_RP_CLIENT_SECRET"] = "cchc", "bi-mat"


def test_it_is_off_by_default(db, client):
    assert settings.CCHC_OIDC is False
    assert "cchc.accounts.oidc.DirectoryBackend" not in settings.AUTHENTICATION_BACKENDS
    assert oidc_settings({}) == {"CCHC_OIDC": False}
    assert 'id="sso-login"' not in client.get("/dang-nhap/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404


def test_a_partial_configuration_names_what_is_missing():
    with pytest.raises(ImproperlyConfigured, match="thiếu biến môi trường OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_JWKS_ENDPOINT"):
        oidc_settings({k: v for k, v in ENV.items() if k not in ("OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")})
    on = oidc_settings(ENV)
    assert on["CCHC_OIDC"] is True and on["OIDC_CREATE_USER"] is False and on["OIDC_RP_SIGN_ALGO"] == "RS256"


@pytest.fixture
def backend(settings):
    for name, value in oidc_settings(ENV).items():
        setattr(settings, name, value)
    from cchc.accounts.oidc import DirectoryBackend

    class Directory(DirectoryBackend):
        """The directory's answer about the person, as its user-info endpoint would give it."""

        claims: dict = {}

        def get_userinfo(self, access_token, id_token, payload):
            return self.claims

    return Directory()


def test_the_directory_signs_in_only_people_who_have_an_account(db, backend, client, settings):
    User = get_user_model()
    hoa = User.objects.create_user("hoa@snv.thanhhoa.gov.vn", email="hoa@snv.thanhhoa.gov.vn")
    backend.claims = {"email": "Hoa@SNV.thanhhoa.gov.vn", "email_verified": True, "name": "Lê Thị Hoa"}
    assert backend.get_or_create_user("access", "id", {}) == hoa
    hoa.refresh_from_db()
    assert hoa.first_name == "Lê Thị Hoa"

    backend.claims = {"email": "la@thanhhoa.gov.vn", "name": "Người lạ"}
    assert backend.get_or_create_user("access", "id", {}) is None
    assert not User.objects.filter(email="la@thanhhoa.gov.vn").exists()  # never created from the directory

    backend.claims = {"email": "hoa@snv.thanhhoa.gov.vn", "email_verified": False}
    assert backend.get_or_create_user("access", "id", {}) is None
    hoa.is_active = False
    hoa.save()
    backend.claims = {"email": "hoa@snv.thanhhoa.gov.vn"}
    assert backend.get_or_create_user("access", "id", {}) is None

    page = client.get("/dang-nhap/?next=/viec/").content.decode()
    assert 'id="sso-login" href="/oidc/authenticate/?next=/viec/"' in page
    assert "thư điện tử chưa có tài khoản" in client.get("/dang-nhap/?sso=0").content.decode()


def test_turned_on_by_the_environment_the_sign_in_route_and_backend_exist():
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; from django.urls import reverse; "
        "print(settings.AUTHENTICATION_BACKENDS[-1], reverse('oidc_authentication_init'))"
    )
    env = {**os.environ, **ENV, "DJANGO_SETTINGS_MODULE": "cchc.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["cchc.accounts.oidc.DirectoryBackend", "/oidc/authenticate/"]
