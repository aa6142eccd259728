from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "cchc.planning"
    label = "planning"
    verbose_name = "Liên kết nhiệm vụ giữa các kế hoạch, lập kế hoạch năm sau"

    def ready(self):
        from cchc.notifications.jobs import DIGEST_SECTIONS, UNIT_DIGEST_SECTIONS

        from .digest import draft_plan_gaps, unit_draft_gaps
        from .drafting import PAR_INDEX_SOURCES
        from .par_source import par_index_tasks

        if draft_plan_gaps not in DIGEST_SECTIONS:
            DIGEST_SECTIONS.append(draft_plan_gaps)
        if unit_draft_gaps not in UNIT_DIGEST_SECTIONS:
            UNIT_DIGEST_SECTIONS.append(unit_draft_gaps)
        if par_index_tasks not in PAR_INDEX_SOURCES:
            PAR_INDEX_SOURCES.append(par_index_tasks)
