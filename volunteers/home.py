from campaigns.scoping import division_in_view
from volunteers.dashboard import summary_parts


def home_context(request) -> dict:
    return {"volunteer_figures": summary_parts(division_in_view(request.user))["volunteers"]}
