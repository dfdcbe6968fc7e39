from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("点位测评")

    def ready(self):
        from campaigns.exports import ExportSpec
        from campaigns.registry import contribute
        from inspections import (
            circulars,
            clock,
            cockpit,
            dashboard,
            demo,
            home,
            inbox,
            league_seed,
            links,
            seed,
            selectors,
        )
        from inspections.api import urls as api
        from inspections.filtersets import ProblemFilterSet
        from inspections.workflows import PROBLEM_WORKFLOW

        contribute(
            self,
            pages="inspections.urls",
            api_routes=api.routes,
            api_urls=api.urlpatterns,
            nav_template="inspections/_nav.html",
            home_template="inspections/_home.html",
            home_context=home.home_context,
            summary_parts=dashboard.summary_parts,
            cockpit_parts=cockpit.cockpit_parts,
            district_columns=dashboard.district_columns,
            sweeps={**clock.SWEEPS, **circulars.SWEEPS},
            schedules=[*clock.SCHEDULE, *circulars.SCHEDULE],
            seed_reference=seed.seed_reference,
            seed_demo=seed.seed_demo,
            exports={"problems": ExportSpec(ProblemFilterSet, selectors.problems_visible_to, "测评问题.xlsx")},
            seed_history=demo.seed_history,
            seed_scale=league_seed.seed_scale,  # the points, then half a year of visits and problems
            workflows=[PROBLEM_WORKFLOW, circulars.CIRCULAR_WORKFLOW],
            depends_on=["supervision"],
            linked_records=[links.CARD_PROBLEMS],
            inbox_items=inbox.inbox_items,
        )
