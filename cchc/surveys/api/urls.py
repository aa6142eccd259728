from rest_framework.routers import DefaultRouter

from .views import RoundViewSet

router = DefaultRouter()
router.register("rounds", RoundViewSet, basename="survey-round")
urlpatterns = router.urls
