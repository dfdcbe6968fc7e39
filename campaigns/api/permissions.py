from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlyUnlessHeadquarters(BasePermission):
    message = "只有指挥部可以修改。"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or request.user.is_headquarters


class WritesByHeadquartersOrOfficer(BasePermission):
    """Everyone signed in reads (scoped); only headquarters and officers write — the service decides the rest."""

    message = "您的角色不能修改此内容。"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or request.user.is_headquarters or request.user.is_officer
