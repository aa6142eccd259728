"""Optional sign-in against the province's LDAP directory (sso.ldap_settings, accounts/ldap_backend.py),
against a real throwaway OpenLDAP server: off by default; when on, the directory checks the password
of people who already have an account, and nobody else gets in.

Needs the optional extra (`make setup-ldap`) and Debian's slapd and ldap-utils: skipped without
them, except under CI (CI=true), which installs them and where a missing piece is a failure."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ImproperlyConfigured

from cchc.accounts.sso import LDAP_BACKEND, ldap_settings

SUFFIX = "dc=thanhhoa,dc=gov,dc=vn"
PEOPLE = f"ou=people,{SUFFIX}"
ADMIN, ADMIN_PASSWORD = f"cn=admin,{SUFFIX}", "bi-mat-quan-tri"
# The directory's two people: Hoa has a cchc account (imported with her e-mail), Lan does not.
HOA_PASSWORD, LAN_PASSWORD = "mat-khau-thu-muc-hoa", "mat-khau-thu-muc-lan"
WRONG_LOGIN = "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác."
UNREACHABLE = "hệ thống tài khoản công vụ của tỉnh (LDAP) không phản hồi"


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI installs it: .ci/run, make setup-ldap)")
    pytest.skip(reason)


def ssha(password: str) -> str:
    salt = os.urandom(8)
    return "{SSHA}" + base64.b64encode(hashlib.sha1(password.encode() + salt).digest() + salt).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LDIF = f"""dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: UBND tinh Thanh Hoa
dc: thanhhoa

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: uid=hoa,{PEOPLE}
objectClass: inetOrgPerson
uid: hoa
cn:: {base64.b64encode("Lê Thị Hoa".encode()).decode()}
sn: Le
mail: Hoa@SNV.thanhhoa.gov.vn
userPassword: {{hoa}}

dn: uid=lan,{PEOPLE}
objectClass: inetOrgPerson
uid: lan
cn: Tran Thi Lan
sn: Tran
mail: lan@stp.thanhhoa.gov.vn
userPassword: {{lan}}
"""


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    """A slapd on a random port of 127.0.0.1 with the two people, for this module's tests: its URI."""
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        unavailable("python-ldap / django-auth-ldap are not installed (make setup-ldap)")
    tools = {name: shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
             for name in ("slapd", "slapadd", "ldapsearch")}
    if not all(tools.values()):
        unavailable("OpenLDAP's slapd and ldap-utils are not installed (apt-get install slapd ldap-utils)")
    schema = "/etc/ldap/schema"
    if not os.path.exists(f"{schema}/inetorgperson.schema"):
        unavailable(f"slapd's schema files are not in {schema}")

    root = tmp_path_factory.mktemp("slapd")
    (root / "db").mkdir()
    conf = root / "slapd.conf"
    conf.write_text(f"""include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
pidfile {root}/slapd.pid
argsfile {root}/slapd.args
access to attrs=userPassword by anonymous auth by self read by * none
access to * by * read
database ldif
directory {root}/db
suffix "{SUFFIX}"
rootdn "{ADMIN}"
rootpw {ssha(ADMIN_PASSWORD)}
""")
    ldif = root / "people.ldif"
    ldif.write_text(LDIF.replace("{hoa}", ssha(HOA_PASSWORD)).replace("{lan}", ssha(LAN_PASSWORD)))
    subprocess.run([tools["slapadd"], "-f", str(conf), "-l", str(ldif)], check=True, capture_output=True)

    port = free_port()
    uri = f"ldap://127.0.0.1:{port}/"
    log = open(root / "slapd.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen([tools["slapd"], "-f", str(conf), "-h", uri, "-d", "0"], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 20
        while True:
            probe = subprocess.run([tools["ldapsearch"], "-x", "-H", uri, "-b", SUFFIX, "-s", "base", "dn"],
                                   capture_output=True)
            if probe.returncode == 0:
                break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("slapd did not start: " + (root / "slapd.log").read_text()[-2000:])
            time.sleep(0.1)
        yield uri
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def environment(uri: str) -> dict:
    return {"CCHC_LDAP_URI": uri, "CCHC_LDAP_USER_BASE": PEOPLE,
            "CCHC_LDAP_BIND_DN": ADMIN, "CCHC_LDAP_BIND_PASSWORD": ADMIN_PASSWORD, "CCHC_LDAP_TIMEOUT": "3"}


def turn_on(settings, env: dict):
    for name, value in ldap_settings(env).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*django_settings.AUTHENTICATION_BACKENDS, LDAP_BACKEND]


@pytest.fixture
def directory(slapd, settings):
    turn_on(settings, environment(slapd))
    return slapd


@pytest.fixture
def hoa(db):
    """Hoa's account as the officials' sheet creates it: her e-mail as user name, no local password."""
    return get_user_model().objects.create_user("hoa@snv.thanhhoa.gov.vn", email="hoa@snv.thanhhoa.gov.vn")


def login(client, username, password):
    return client.post("/dang-nhap/", {"username": username, "password": password, "next": "/viec/"})


def test_it_is_off_by_default(db, client):
    assert django_settings.CCHC_LDAP is False
    assert LDAP_BACKEND not in django_settings.AUTHENTICATION_BACKENDS
    assert not any("ldap" in path.lower() for path in django_settings.AUTHENTICATION_BACKENDS)
    assert ldap_settings({}) == {"CCHC_LDAP": False}
    assert not hasattr(django_settings, "AUTH_LDAP_SERVER_URI")


def test_a_partial_configuration_names_what_is_missing():
    with pytest.raises(ImproperlyConfigured, match="thiếu biến môi trường CCHC_LDAP_USER_BASE, CCHC_LDAP_BIND_PASSWORD"):
        ldap_settings({"CCHC_LDAP_URI": "ldap://ldap.thanhhoa.gov.vn", "CCHC_LDAP_BIND_DN": ADMIN})


def test_a_known_account_signs_in_with_the_directory_password(directory, hoa, client):
    assert not hoa.has_usable_password()
    done = login(client, "hoa", HOA_PASSWORD)
    assert done.status_code == 302 and done.url == "/viec/"
    assert client.session[SESSION_KEY] == str(hoa.pk)
    assert client.session["_auth_user_backend"] == LDAP_BACKEND
    hoa.refresh_from_db()
    assert hoa.first_name == "Lê Thị Hoa"  # an empty name is filled from the directory, nothing else changes
    assert hoa.username == "hoa@snv.thanhhoa.gov.vn" and not hoa.has_usable_password()
    assert client.get("/viec/").status_code == 200

    # Deactivated by a coordinator, the account is signed out on its next request.
    hoa.is_active = False
    hoa.save()
    assert client.get("/viec/").status_code == 302


def test_the_account_is_also_found_by_user_name_and_by_typed_e_mail(directory, db, client):
    lan = get_user_model().objects.create_user("lan")  # no e-mail recorded: matched by the user name
    assert login(client, "lan", LAN_PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(lan.pk)
    client.logout()
    hoa = get_user_model().objects.create_user("hoa.le", email="hoa@snv.thanhhoa.gov.vn")
    assert login(client, "Hoa@SNV.thanhhoa.gov.vn", HOA_PASSWORD).status_code == 302  # the mail= filter
    assert client.session[SESSION_KEY] == str(hoa.pk)


def test_a_directory_person_without_an_account_is_refused(directory, hoa, client):
    before = get_user_model().objects.count()
    page = login(client, "lan", LAN_PASSWORD)
    assert page.status_code == 200 and SESSION_KEY not in client.session
    assert WRONG_LOGIN in page.content.decode()
    assert get_user_model().objects.count() == before  # never created from the directory
    assert not get_user_model().objects.filter(username__iexact="lan").exists()


def test_a_wrong_password_gets_the_normal_login_error(directory, hoa, client):
    page = login(client, "hoa", "mat-khau-sai")
    assert page.status_code == 200 and SESSION_KEY not in client.session
    text = page.content.decode()
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác. Chú ý rằng cả hai khung thông tin" in text
    assert UNREACHABLE not in text
    # A local password still works beside the directory, and the directory's is not taken for it.
    hoa.set_password("mat-khau-rieng-cchc")
    hoa.save()
    assert login(client, "hoa@snv.thanhhoa.gov.vn", "mat-khau-rieng-cchc").status_code == 302
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"


def test_an_unreachable_directory_is_said_in_vietnamese_not_a_500(slapd, hoa, client, settings):
    turn_on(settings, environment(f"ldap://127.0.0.1:{free_port()}/"))  # nothing listens there
    page = login(client, "hoa", HOA_PASSWORD)
    assert page.status_code == 200 and SESSION_KEY not in client.session
    text = page.content.decode()
    assert UNREACHABLE in text and WRONG_LOGIN not in text


def test_turned_on_by_the_environment_the_backend_is_last(slapd):
    code = "import django; django.setup(); from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS[-1], settings.AUTH_LDAP_NO_NEW_USERS, settings.AUTH_LDAP_START_TLS)"
    env = {**os.environ, **environment(slapd), "CCHC_LDAP_START_TLS": "1", "DJANGO_SETTINGS_MODULE": "cchc.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == [LDAP_BACKEND, "True", "True"]
