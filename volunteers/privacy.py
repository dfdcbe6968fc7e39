"""THE one place that decides who reads a volunteer's ID-card number and phone in full.

Headquarters and the officer acting for the volunteer's own division read them; a team leader (a community's officer,
campaigns/scoping.py ``acts_for_division``) reads them only for the members of the teams they lead; everyone else —
supervisors, city leaders, officers of other divisions, team leaders for anyone outside their team and the read-only
API client — sees them masked.
Pages (template filters in volunteers/templatetags), the API serializer, exports and the certificate all ask here.
"""

from campaigns.scoping import acts_for_division


def may_read_personal_data(user, volunteer) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_headquarters:
        return True
    if not user.is_officer:
        return False
    if acts_for_division(user):
        return user.division_id is not None and user.division_id == volunteer.division_id
    return volunteer.pk in _members_of_teams_led_by(user)


def _members_of_teams_led_by(user) -> frozenset:
    """The ids of the volunteers in the teams ``user`` leads, read once per user object (a list asks per row)."""
    cached = getattr(user, "_led_team_members", None)
    if cached is None:
        from volunteers.models import TeamMembership

        cached = frozenset(TeamMembership.objects.filter(team__leader_user=user).values_list("volunteer_id", flat=True))
        user._led_team_members = cached
    return cached


def mask(value: str, head: int, tail: int) -> str:
    if not value:
        return value
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    return mask(value, 6, 4)  # 140202********1234: area and the last four only


def mask_phone(value: str) -> str:
    return mask(value, 3, 4)  # 138****5678


def shown_id_number(user, volunteer) -> str:
    return volunteer.id_number if may_read_personal_data(user, volunteer) else mask_id_number(volunteer.id_number)


def shown_phone(user, volunteer) -> str:
    return volunteer.phone if may_read_personal_data(user, volunteer) else mask_phone(volunteer.phone)
