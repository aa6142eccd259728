from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc.accounts.forms import LoginForm
from cchc.front import views as front_views
from cchc.ops import views as ops_views

admin.site.site_header = "Quản trị hệ thống CCHC"
admin.site.site_title = "CCHC"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("", front_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("don-vi/", include("cchc.units.urls")),
    path("ke-hoach/", include("cchc.plans.urls")),
    path("viec/", include("cchc.tracking.urls")),
    path("bao-cao/", include("cchc.reporting.urls")),
    path("chi-so-cchc/", include("cchc.par.urls")),
    path("ke-hoach-nam-sau/", include("cchc.planning.urls")),
    path("thong-bao/", include("cchc.notifications.urls")),
    path("khao-sat/", include("cchc.surveys.urls")),
    path("api/", include("cchc.api_urls")),
    path("tai-khoan/", include("cchc.accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", ops_views.healthz, name="healthz"),
]

if settings.CCHC_OIDC:  # optional sign-in with the province's directory (cchc/accounts/sso.py)
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
