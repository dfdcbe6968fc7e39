from campaigns import registry


def portal(request):
    """What every page's layout needs: the apps' navigation menus and their header figures (campaigns/registry.py)."""
    context = {"portal_name": "大同市创建全国文明城市工作平台", "portal_nav_templates": registry.nav_templates()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context.update(registry.header_context(request))
    return context
