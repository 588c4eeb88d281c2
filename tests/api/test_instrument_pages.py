"""Pages show an instrument's stated terms (issue 12) as they read, under ontology labels."""

from __future__ import annotations

from policykg.api.pages.i18n import Words
from policykg.api.pages.views import extra_fields
from policykg.api.routes.instruments import Evidence, InstrumentOut, RateOptionOut, ScheduleStepOut


def test_tiers_and_years_read_as_labels_and_false_flags_stay_out() -> None:
    row = InstrumentOut(
        iri="x", evidence=Evidence(), kind="grant", rate_is_max=False, quantified=True,
        rate_options=[RateOptionOut(rate=0.4, condition="首次认定的", label="40%(首次认定的)"),
                      RateOptionOut(rate=0.25, label="25%")],
        rate_schedule=[ScheduleStepOut(year=1, rate=0.6, label="第1年 60%")], terms="最高 40% 或 25%")
    shown = dict(extra_fields(row))
    assert shown["rate_options"] == "40%(首次认定的)、25%" and shown["rate_schedule"] == "第1年 60%"
    assert "rate_is_max" not in shown and shown["quantified"] is True and shown["terms"] == "最高 40% 或 25%"


def test_field_labels_come_from_the_ontology() -> None:
    zh, en = Words("zh"), Words("en")
    assert (zh.field("kind"), zh.field("rate_schedule"), zh.field("thresholds")) == ("支持方式", "逐年比例", "门槛条件")
    assert (en.field("rate_is_max"), en.field("quantified")) == ("rate is a ceiling", "quantified")
