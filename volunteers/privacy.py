"""THE one place that decides who reads a volunteer's ID-card number and phone in full.

Headquarters and the officer acting for the volunteer's own division read them; a team leader (a community's officer,
campaigns/scoping.py ``acts_for_division``) reads them only for the members of the teams they lead; everyone else —
supervisors, city leaders, officers of other divisions, team leaders for anyone outside their team and the read-only
API client — sees them masked.

Minimum necessary (个人信息保护法): lists, search results, exports and the certificate show masked values to everyone.
A person with the right (:func:`may_read_personal_data`) sees one volunteer's full values only by asking for them —
the reveal button on the volunteer's page, the API's read of one volunteer, or an unmasked export with a stated
purpose — and every such read is logged (:func:`log_access`, :class:`volunteers.models.PersonalDataAccess`), for
headquarters to read on the access-log page.
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


def shown_id_number(user, volunteer, *, revealed: bool = False) -> str:
    """Masked, unless this is a logged reveal (``revealed``) by someone allowed to read it."""
    if revealed and may_read_personal_data(user, volunteer):
        return volunteer.id_number
    return mask_id_number(volunteer.id_number)


def shown_phone(user, volunteer, *, revealed: bool = False) -> str:
    if revealed and may_read_personal_data(user, volunteer):
        return volunteer.phone
    return mask_phone(volunteer.phone)


REVEALED_FIELDS = "id_number,phone"


def log_access(*, user, via: str, volunteer=None, purpose: str = "", rows: int = 1, query: str = ""):
    """Record one full read of personal data: who, whose (or how many rows of an export), how, why, when."""
    from volunteers.models import PersonalDataAccess

    return PersonalDataAccess.objects.create(
        user=user,
        volunteer=volunteer,
        fields=REVEALED_FIELDS,
        via=via,
        purpose=purpose[:200],
        rows=rows,
        query=query[:500],
    )


def access_log_visible_to(user):
    """Headquarters reads the whole log; nobody else reads it."""
    from volunteers.models import PersonalDataAccess

    if not (user.is_authenticated and user.is_active and user.is_headquarters):
        return PersonalDataAccess.objects.none()
    return PersonalDataAccess.objects.select_related("user", "volunteer")
