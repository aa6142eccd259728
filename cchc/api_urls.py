from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from cchc.notifications.api import NotificationViewSet
from cchc.par.api.views import AssessmentViewSet as ParAssessmentViewSet
from cchc.par.api.views import RoundViewSet as ParRoundViewSet
from cchc.plans.api.views import PlanViewSet
from cchc.reporting.api.views import NationalAggregateView, ReportingPeriodViewSet, SubmissionViewSet
from cchc.tracking.api.views import ObligationViewSet, ProgressUpdateViewSet
from cchc.units.api.views import UnitClassViewSet, UnitViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("unit-classes", UnitClassViewSet, basename="unitclass")
router.register("plans", PlanViewSet, basename="plan")
router.register("obligations", ObligationViewSet, basename="obligation")
router.register("progress-updates", ProgressUpdateViewSet, basename="progressupdate")
router.register("reporting-periods", ReportingPeriodViewSet, basename="reportingperiod")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("par/rounds", ParRoundViewSet, basename="par-round")
router.register("par/assessments", ParAssessmentViewSet, basename="par-assessment")

app_name = "api"
urlpatterns = [
    path("reporting/national/", NationalAggregateView.as_view(), name="national-aggregate"),
    path("surveys/", include("cchc.surveys.api.urls")),
    path("planning/", include("cchc.planning.api.urls")),
    path("", include(router.urls)),
    path("token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
