"""THE one place that decides who reads a volunteer's ID-card number and phone in full.

Headquarters and the officer of the volunteer's own division read them; everyone else — supervisors, city leaders,
officers of other divisions, team leaders of another division and the read-only API client — sees them masked.
Pages (template filters in volunteers/templatetags), the API serializer, exports and the certificate all ask here.
"""


def may_read_personal_data(user, volunteer) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_headquarters:
        return True
    return user.is_officer and user.division_id is not None and user.division_id == volunteer.division_id


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
