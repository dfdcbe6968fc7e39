from django import forms

from campaigns.validators import SaneDateField


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="表格类型", choices=[("roster", "志愿者花名册"), ("hours", "服务时长表")], initial="roster"
    )
    file = forms.FileField(label="Excel 文件（.xlsx）")
    partial = forms.BooleanField(label="有错误时只导入正确的行", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过 20 MB。")
        return upload


class RejectForm(forms.Form):
    reason = forms.CharField(label="驳回原因", max_length=200, required=False)


class StarThresholdsForm(forms.Form):
    """Hours for one to five stars (headquarters)."""

    star_1 = forms.IntegerField(label="一星（小时）", min_value=1, max_value=100000)
    star_2 = forms.IntegerField(label="二星（小时）", min_value=1, max_value=100000)
    star_3 = forms.IntegerField(label="三星（小时）", min_value=1, max_value=100000)
    star_4 = forms.IntegerField(label="四星（小时）", min_value=1, max_value=100000)
    star_5 = forms.IntegerField(label="五星（小时）", min_value=1, max_value=100000)

    def thresholds(self) -> dict[int, int]:
        return {star: self.cleaned_data[f"star_{star}"] for star in range(1, 6)}


# --- the pages' forms: they only collect and check the shape of the input; volunteers/services.py decides ---------

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def divisions_for(user):
    """The divisions whose volunteer data ``user`` maintains: the whole city for headquarters, else their own."""
    from campaigns.models import Division

    if user.is_headquarters:
        return Division.objects.order_by("code")
    return Division.objects.filter(pk=user.division_id)


def teams_for(user):
    """The teams ``user`` may put a volunteer in: their division's (or all, for headquarters); a team leader's own."""
    from campaigns.scoping import acts_for_division
    from volunteers.models import VolunteerTeam

    teams = VolunteerTeam.objects.select_related("division").order_by("division__code", "name")
    if user.is_headquarters:
        return teams
    if acts_for_division(user):
        return teams.filter(division_id=user.division_id)
    return teams.filter(leader_user=user)


class VolunteerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18, min_length=18)
    phone = forms.CharField(label="手机号", max_length=11)
    division = forms.ModelChoiceField(label="区县", queryset=None, empty_label=None)
    teams = forms.ModelMultipleChoiceField(label="服务队", queryset=None, required=False)
    registered_at = SaneDateField(label="注册日期", required=False, help_text="不填为今天")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions_for(user)
        self.fields["teams"].queryset = teams_for(user)
        self.fields["teams"].widget.attrs["size"] = 4


class VolunteerEditForm(forms.Form):
    """Name and teams are shown; the ID number and phone are never put back into the page (they are masked there):
    left blank they stay as they are."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="新身份证号", max_length=18, min_length=18, required=False, help_text="留空则不修改"
    )
    phone = forms.CharField(label="新手机号", max_length=11, required=False, help_text="留空则不修改")
    teams = forms.ModelMultipleChoiceField(label="服务队", queryset=None, required=False)

    def __init__(self, *args, user, volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        # Memberships of teams the editor does not manage stay as they are (see changes()).
        self.fields["teams"].queryset = teams_for(user).filter(division_id=volunteer.division_id)
        self.fields["teams"].widget.attrs["size"] = 4
        self.volunteer = volunteer

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {"name": data["name"]}
        for field in ("id_number", "phone"):
            if data[field]:
                changes[field] = data[field]
        managed = set(self.fields["teams"].queryset.values_list("pk", flat=True))
        kept = [t for t in self.volunteer.teams.all() if t.pk not in managed]
        changes["teams"] = kept + list(data["teams"])
        return changes


class TeamForm(forms.Form):
    name = forms.CharField(label="服务队名称", max_length=100)
    division = forms.ModelChoiceField(label="区县", queryset=None, empty_label=None)
    level = forms.ChoiceField(label="级别")
    practice_site = forms.ModelChoiceField(label="所属阵地", queryset=None, required=False)
    leader_name = forms.CharField(label="队长", max_length=50, required=False)
    service_field = forms.ChoiceField(label="服务领域", required=False)

    def __init__(self, *args, user, **kwargs):
        from volunteers import selectors
        from volunteers.choices import SERVICE_FIELDS, TeamLevel

        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions_for(user)
        self.fields["level"].choices = TeamLevel.choices
        self.fields["level"].initial = TeamLevel.COMMUNITY
        self.fields["practice_site"].queryset = selectors.sites_visible_to(user).filter(
            division__in=divisions_for(user)
        )
        self.fields["service_field"].choices = [("", "—")] + [(f, f) for f in SERVICE_FIELDS]


class TeamEditForm(TeamForm):
    """A team's division stays (its counters with it)."""

    def __init__(self, *args, user, team, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["division"]
        self.fields["practice_site"].queryset = self.fields["practice_site"].queryset.filter(
            division_id=team.division_id
        )


class SiteForm(forms.Form):
    name = forms.CharField(label="阵地名称", max_length=100)
    level = forms.ChoiceField(label="层级")
    division = forms.ModelChoiceField(label="区县", queryset=None, empty_label=None)
    parent = forms.ModelChoiceField(label="上级阵地", queryset=None, required=False, help_text="实践所选中心，站选所")
    address = forms.CharField(label="地址", max_length=200, required=False)
    responsible_person = forms.CharField(label="负责人", max_length=50, required=False)
    responsible_phone = forms.CharField(label="负责人电话", max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        from volunteers import selectors
        from volunteers.choices import SiteLevel

        super().__init__(*args, **kwargs)
        self.fields["level"].choices = SiteLevel.choices
        self.fields["level"].initial = SiteLevel.STATION
        self.fields["division"].queryset = divisions_for(user)
        self.fields["parent"].queryset = (
            selectors.sites_visible_to(user).filter(division__in=divisions_for(user)).exclude(level=SiteLevel.STATION)
        )


class SiteEditForm(forms.Form):
    """A site's level, division and parent stay: the tree and the counters are not rearranged by an edit."""

    name = forms.CharField(label="阵地名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200, required=False)
    responsible_person = forms.CharField(label="负责人", max_length=50, required=False)
    responsible_phone = forms.CharField(label="负责人电话", max_length=20, required=False)


class ProjectForm(forms.Form):
    title = forms.CharField(label="项目名称", max_length=200)
    start_date = SaneDateField(label="开始日期")
    end_date = SaneDateField(label="结束日期")
    place = forms.CharField(label="服务地点", max_length=200, required=False)
    capacity = forms.IntegerField(label="招募人数", min_value=1, max_value=100000, initial=20)
    practice_site = forms.ModelChoiceField(
        label="实践阵地", queryset=None, required=False, help_text="不选则为服务队所属阵地"
    )

    def __init__(self, *args, team, **kwargs):
        from volunteers.models import PracticeSite

        super().__init__(*args, **kwargs)
        self.fields["practice_site"].queryset = PracticeSite.objects.filter(division_id=team.division_id)


class RecordForm(forms.Form):
    """One stint: the volunteer by their number (a division has tens of thousands: no drop-down), one of the projects
    the user organises, the day and the times (hours are end − start, the service computes them)."""

    volunteer_no = forms.CharField(label="志愿者编号", max_length=20)
    project = forms.ModelChoiceField(label="服务项目", queryset=None)
    date = SaneDateField(label="服务日期")
    start_time = forms.TimeField(label="开始时间", widget=TIME)
    end_time = forms.TimeField(label="结束时间", widget=TIME)

    def __init__(self, *args, user, **kwargs):
        from volunteers import selectors

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = projects_organised_by(user)
        self.volunteers = selectors.volunteers_visible_to(user)

    def clean_volunteer_no(self):
        number = self.cleaned_data["volunteer_no"].strip().upper()
        volunteer = self.volunteers.filter(volunteer_no=number).first()
        if volunteer is None:
            raise forms.ValidationError("没有这个编号的志愿者（或不在您的区县）。")
        self.cleaned_data["volunteer"] = volunteer
        return number


def projects_organised_by(user):
    """The projects whose records ``user`` registers and confirms: a team leader's own teams', an officer's division's,
    every project for headquarters."""
    from campaigns.scoping import acts_for_division
    from volunteers import selectors

    projects = selectors.projects_visible_to(user).order_by("-start_date", "-id")
    if user.is_headquarters:
        return projects
    if acts_for_division(user):
        return projects.filter(division_id=user.division_id)
    return projects.filter(team__leader_user=user)


class PublicRatingForm(forms.Form):
    """The resident's form: one of three answers and an optional comment. Nothing personal."""

    answer = forms.ChoiceField(label="您对本次志愿服务满意吗？", widget=forms.RadioSelect)
    comment = forms.CharField(
        label="意见建议（选填）",
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "请勿填写姓名、电话等个人信息"}),
    )

    def __init__(self, *args, **kwargs):
        from volunteers.choices import RatingAnswer

        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = RatingAnswer.choices
        self.fields["answer"].error_messages["required"] = "请选择满意、基本满意或不满意。"
