from rest_framework import serializers

from campaigns.api.fields import ScopedPrimaryKeyRelatedField
from campaigns.api.serializers import AllowedActionsField
from campaigns.models import Division
from campaigns.scoping import divisions_visible_to
from campaigns.validators import validate_sane_date
from volunteers import privacy, selectors
from volunteers.models import PracticeSite, ServiceProject, ServiceRecord, Volunteer, VolunteerTeam
from volunteers.workflows import IMPORT_JOB_WORKFLOW, SERVICE_RECORD_WORKFLOW


class PracticeSiteSerializer(serializers.ModelSerializer):
    division_name = serializers.CharField(source="division.name", read_only=True)

    class Meta:
        model = PracticeSite
        fields = ["id", "name", "level", "division", "division_name", "parent", "address", "responsible_person"]


class VolunteerTeamSerializer(serializers.ModelSerializer):
    division = ScopedPrimaryKeyRelatedField(divisions_visible_to, model=Division)
    practice_site = ScopedPrimaryKeyRelatedField(
        selectors.sites_visible_to, model=PracticeSite, required=False, allow_null=True
    )
    division_name = serializers.CharField(source="division.name", read_only=True)

    class Meta:
        model = VolunteerTeam
        fields = [
            "id",
            "name",
            "level",
            "division",
            "division_name",
            "practice_site",
            "leader_name",
            "service_field",
            "members_count",
        ]
        read_only_fields = ["members_count"]
        extra_kwargs = {"name": {"validators": []}}


class VolunteerSerializer(serializers.ModelSerializer):
    """``id_number`` and ``phone`` are shown in full only where volunteers/privacy.py allows it."""

    division = ScopedPrimaryKeyRelatedField(divisions_visible_to, model=Division)
    division_name = serializers.CharField(source="division.name", read_only=True)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=11)
    teams = ScopedPrimaryKeyRelatedField(selectors.teams_visible_to, model=VolunteerTeam, many=True, required=False)
    confirmed_hours = serializers.FloatField(read_only=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "volunteer_no",
            "name",
            "gender",
            "birth_date",
            "division",
            "division_name",
            "id_number",
            "phone",
            "teams",
            "registered_at",
            "confirmed_hours",
            "star",
        ]
        read_only_fields = ["volunteer_no", "gender", "birth_date", "confirmed_hours", "star"]
        extra_kwargs = {"registered_at": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        # Lists mask for everyone; one volunteer's record is a logged read (VolunteerViewSet.retrieve).
        revealed = self.context.get("reveal_personal_data", False)
        data["id_number"] = privacy.shown_id_number(user, instance, revealed=revealed)
        data["phone"] = privacy.shown_phone(user, instance, revealed=revealed)
        return data


class ServiceProjectSerializer(serializers.ModelSerializer):
    team = ScopedPrimaryKeyRelatedField(selectors.teams_visible_to, model=VolunteerTeam)
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = ServiceProject
        fields = ["id", "title", "team", "team_name", "division", "start_date", "end_date", "place", "capacity"]
        read_only_fields = ["division"]
        extra_kwargs = {
            "start_date": {"validators": [validate_sane_date]},
            "end_date": {"validators": [validate_sane_date]},
        }


class ServiceRecordSerializer(serializers.ModelSerializer):
    volunteer = ScopedPrimaryKeyRelatedField(selectors.volunteers_visible_to, model=Volunteer)
    project = ScopedPrimaryKeyRelatedField(selectors.projects_visible_to, model=ServiceProject)
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    hours = serializers.FloatField(read_only=True, help_text="服务时长（小时），由开始与结束时间算出")
    allowed_actions = AllowedActionsField(SERVICE_RECORD_WORKFLOW)

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "volunteer",
            "volunteer_name",
            "project",
            "division",
            "date",
            "start_time",
            "end_time",
            "hours",
            "status",
            "decided_at",
            "reject_reason",
            "allowed_actions",
        ]
        read_only_fields = ["division", "hours", "status", "decided_at", "reject_reason"]


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    filename = serializers.CharField()
    status = serializers.CharField()
    total = serializers.IntegerField()
    progress = serializers.SerializerMethodField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())
    finished_at = serializers.DateTimeField(allow_null=True)
    allowed_actions = AllowedActionsField(
        IMPORT_JOB_WORKFLOW, help_text="导入任务由系统推进，没有可供调用的操作（总为空）"
    )

    def get_progress(self, job) -> float:
        from volunteers.imports import job_progress

        return job_progress(job)


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())


# --- the hot lists' rows ---------------------------------------------------------------------------------------------
# ``volunteers/`` and ``service-records/`` are read all day over tables of 400,000 and 2,000,000 rows. Their list rows
# are built here directly, without DRF building and walking a serializer's fields for every row (a quarter of the
# call's time); the keys and values are exactly those of VolunteerSerializer / ServiceRecordSerializer, which still
# describe the rows in the schema, serve every other action, and are held to the same output by
# tests/volunteers/test_list_rows.py. A field added to a serializer must be added here too (the test says so).

_date = serializers.DateField()
_time = serializers.TimeField()
_datetime = serializers.DateTimeField()


def _or_none(field, value):
    return None if value is None else field.to_representation(value)


def volunteer_rows(volunteers, user) -> list[dict]:
    """The volunteer list's rows, personal data masked for everyone (a full read is the logged detail view)."""
    return [
        {
            "id": v.pk,
            "volunteer_no": v.volunteer_no,
            "name": v.name,
            "gender": v.gender,
            "birth_date": _or_none(_date, v.birth_date),
            "division": v.division_id,
            "division_name": v.division.name,
            "id_number": privacy.shown_id_number(user, v),
            "phone": privacy.shown_phone(user, v),
            "teams": [team.pk for team in v.teams.all()],
            "registered_at": _or_none(_date, v.registered_at),
            "confirmed_hours": float(v.confirmed_hours),
            "star": v.star,
        }
        for v in volunteers
    ]


def service_record_rows(records, user) -> list[dict]:
    return [
        {
            "id": r.pk,
            "volunteer": r.volunteer_id,
            "volunteer_name": r.volunteer.name,
            "project": r.project_id,
            "division": r.division_id,
            "date": _or_none(_date, r.date),
            "start_time": _or_none(_time, r.start_time),
            "end_time": _or_none(_time, r.end_time),
            "hours": float(r.hours),
            "status": r.status,
            "decided_at": _or_none(_datetime, r.decided_at),
            "reject_reason": r.reject_reason,
            "allowed_actions": [move.action for move in SERVICE_RECORD_WORKFLOW.allowed_actions(user, r)],
        }
        for r in records
    ]
