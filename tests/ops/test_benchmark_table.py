"""``make bench``'s table: each call's share of the bare view measured in the same run, and README's block replaced
between its marks only (the load itself is measured by running the command, not in the suite)."""

from datong_portal.briefing.models import Briefing
from datong_portal.ops.management.commands.benchmark import (
    BRIEFING_PAGES,
    README_END,
    README_START,
    _briefing_build_time,
    _table,
    _update_readme,
)
from supervision.models import SupervisionCard

BRIEFING = {"pages": 25, "seconds": 3.38, "month": "2026年10月"}


def _rows():
    return [
        ("空视图（基准）", {"rps": 800.0, "p95": 6.0, "requests": 8000}),
        ("me/", {"rps": 400.0, "p95": 12.0, "requests": 4000, "bare": 800.0}),
        # the machine got busier: the bare view measured right before this call answered less
        ("problems/", {"rps": 280.0, "p95": 20.0, "requests": 2800, "bare": 560.0}),
    ]


def test_each_call_is_a_share_of_the_bare_view_measured_right_before_it():
    table = _table(_rows(), clients=4, workers=2, seconds=10, seed=((12.25, 37.5), True), briefing=BRIEFING)
    lines = {line.split(" | ")[0].strip("| "): line for line in table.splitlines() if line.startswith("| ")}
    assert lines["空视图（基准）"].endswith("| 100 % |")
    assert lines["me/"] == "| me/ | 400 | 12 | 800 | 50 % |"
    assert lines["problems/"] == "| problems/ | 280 | 20 | 560 | 50 % |"
    assert "（seed_datong --scale full）用时：37.5 秒" in table and "（seed_datong --demo）12.2 秒（本次生成）" in table
    assert "4 个并发客户端" in table
    assert "月度工作简报（2026年10月，补足为 25 页，worker 中的 briefing_build）：编制用时 3.4 秒。" in table


def test_the_briefing_is_timed_on_a_month_of_twenty_pages_and_leaves_nothing_behind(hq, settings):
    cards = SupervisionCard.objects.count()
    timed = _briefing_build_time(hq)
    assert timed["pages"] >= BRIEFING_PAGES and timed["seconds"] > 0
    assert SupervisionCard.objects.count() == cards and not Briefing.objects.exists()
    assert not any(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_readme_block_is_replaced_between_its_marks_only(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# 标题\n\n{README_START}\n旧的表\n{README_END}\n\n## 之后\n", encoding="utf-8")
    _update_readme(readme, "新的表\n")
    assert readme.read_text(encoding="utf-8") == f"# 标题\n\n{README_START}\n新的表\n{README_END}\n\n## 之后\n"


def test_a_readme_without_marks_is_left_alone(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# 标题\n", encoding="utf-8")
    _update_readme(readme, "新的表\n")
    assert readme.read_text(encoding="utf-8") == "# 标题\n"
