from volunteers.dashboard import summary_parts


def home_context(request) -> dict:
    user = request.user
    division = user.division if user.is_officer else None
    return {"volunteer_figures": summary_parts(division)["volunteers"]}
