from rest_framework import serializers

from taskforces.models import TaskForce, TaskForceGroup


class TaskForceGroupSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.__str__", default=None, read_only=True)

    class Meta:
        model = TaskForceGroup
        fields = ["id", "name", "responsibility", "leader", "leader_name", "members"]


class TaskForceSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.__str__", default=None, read_only=True)
    groups = TaskForceGroupSerializer(many=True, read_only=True)

    class Meta:
        model = TaskForce
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "field",
            "leader",
            "leader_name",
            "members",
            "liaison_divisions",
            "groups",
        ]
