from django import template

from volunteers import privacy

register = template.Library()


@register.filter
def id_number_for(volunteer, user):
    """``{{ volunteer|id_number_for:user }}``: masked — lists show no full value (volunteers/privacy.py)."""
    return privacy.shown_id_number(user, volunteer)


@register.filter
def phone_for(volunteer, user):
    return privacy.shown_phone(user, volunteer)
