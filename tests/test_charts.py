import re
from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string

from assessments import charts

D = Decimal


def gap_chart(gaps, title):
    chart = charts.gap_chart(gaps, title=title)
    return render_to_string("assessments/_charts.html#gap-chart", {"chart": chart})


def then_now_chart(rows, title):
    chart = charts.then_now_chart(rows, title=title)
    return render_to_string("assessments/_charts.html#then-now-chart", {"chart": chart})


def _bucket(name):
    return SimpleNamespace(short_name=name)


def _gap(name, level, target):
    requirement = SimpleNamespace(level=SimpleNamespace(target=D(target))) if target else None
    gap = None if level is None or target is None else max(D(target) - D(level), D(0))
    return SimpleNamespace(
        bucket=_bucket(name),
        level=None if level is None else D(level),
        target=requirement.level.target if requirement else None,
        gap=gap,
        is_met=gap == 0,
    )


def test_gap_chart_is_labelled_and_has_no_inline_style():
    svg = gap_chart([_gap("Research", "3.0", "5.0")], title="Your level <per> bucket")

    assert 'role="img"' in svg
    assert 'aria-labelledby="gap-chart-title gap-chart-desc"' in svg
    assert '<title id="gap-chart-title">Your level &lt;per&gt; bucket</title>' in svg
    assert "style=" not in svg


def test_gap_chart_bar_ends_at_the_level_and_the_gap_reaches_the_target():
    svg = str(gap_chart([_gap("Research", "3.0", "5.0")], title="t"))

    bar = re.search(
        r'class="chart__bar chart__bar--short" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg
    )
    gap = re.search(r'class="chart__gap" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    target = re.search(r'class="chart__target" x1="([\d.]+)"', svg)
    left, bar_width = float(bar.group(1)), float(bar.group(2))
    full = float(target.group(1)) - left  # 5 on the 0–5 axis
    assert abs(bar_width - full * 3 / 5) < 0.2
    assert abs(float(gap.group(1)) + float(gap.group(2)) - float(target.group(1))) < 0.2
    assert "you 3.0 · needs 5.0" in svg


def test_unrated_bucket_has_no_bar_and_says_so():
    svg = str(gap_chart([_gap("Domain", None, "4.0"), _gap("Technical", "5.0", "4.0")], title="t"))

    assert svg.count("chart__bar ") == 1
    assert "chart__bar--met" in svg
    assert "not rated · needs 4.0" in svg


def test_then_now_chart_draws_both_audits():
    rows = [
        SimpleNamespace(bucket=_bucket("Research"), then=D("2.0"), now=D("3.5")),
        SimpleNamespace(bucket=_bucket("Domain"), then=D("3.0"), now=D("2.0")),
        SimpleNamespace(bucket=_bucket("Technical"), then=None, now=D("4.0")),
    ]

    svg = str(then_now_chart(rows, title="Then and now"))

    assert svg.count('class="chart__then"') == 2
    assert svg.count('class="chart__now"') == 3
    assert "chart__move--up" in svg and "chart__move--down" in svg
    assert "2.0 → 3.5" in svg and "– → 4.0" in svg
    assert "style=" not in svg


def test_without_a_track_bars_are_plain_and_no_target_is_drawn():
    svg = str(gap_chart([_gap("Research", "3.0", None)], title="t"))

    assert "chart__bar--plain" in svg
    assert "chart__target" not in svg
    assert "needs" not in svg
