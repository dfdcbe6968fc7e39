from django import forms, template

register = template.Library()


@register.filter
def bs(bound_field, size=""):
    """Render a form field with Bootstrap's classes: ``{{ field|bs }}`` or ``{{ field|bs:"sm" }}``."""
    widget = bound_field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select" + (f" form-select-{size}" if size else "")
    else:
        css = "form-control" + (f" form-control-{size}" if size else "")
    if bound_field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return bound_field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.simple_tag(takes_context=True)
def allowed_actions(context, obj) -> set[str]:
    """The actions the signed-in user may take on ``obj`` now, from its workflow's declaration (the buttons to draw):
    ``{% allowed_actions record as actions %}{% if "confirm" in actions %}…``."""
    from campaigns.registry import workflow_for

    request = context.get("request")
    workflow = workflow_for(obj)
    if workflow is None or request is None:
        return set()
    return {move.action for move in workflow.allowed_actions(request.user, obj)}
