"""The submission contract of ``shared/spec/submissions.md`` as data.

Parsers, normalisers, the Great Expectations suites, the raw-table DDL and the sample generator all
read these definitions, so a column is declared once and every layer agrees on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

META_FIELDS = ("unit_code", "dataset", "period", "status")
OPTIONAL_META_FIELDS = ("commentary",)
STATUSES = ("provisional", "official")

AGENCY_KINDS = ("newspaper", "magazine", "broadcaster", "news_agency")
MEDIA_TYPES = ("print", "electronic", "radio", "television")
PLATFORMS = ("radio", "television", "epress")
STAGES = ("research_proposal", "formed", "developing", "completed")
TASK_STATUSES = ("not_started", "in_progress", "completed")
SECTIONS = ("I", "II", "III", "IV", "V", "VI")


@dataclass(frozen=True)
class Column:
    """One column of a dataset.

    ``kind`` is the normalisation rule: ``text`` (trimmed, NFC), ``code`` (upper-case identifier),
    ``enum`` (lower-case, one of ``choices``), ``enum_list`` (``;``-separated non-empty subset of
    ``choices``), ``bool``, ``int``, ``decimal``, ``date``, ``month`` (first day of the month).
    """

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    description: str = ""

    @property
    def sql_type(self) -> str:
        return {
            "text": "varchar",
            "code": "varchar",
            "enum": "varchar",
            "enum_list": "varchar",
            "bool": "boolean",
            "int": "bigint",
            "decimal": "double precision",
            "date": "date",
            "month": "date",
        }[self.kind]


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str = ""
    periods: str = "any"  # "q4": only Y-Q4 (annual datasets)
    extra_rules: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


C = Column
DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "agency_register",
            (
                C("agency_code", "code", True, description="Agency identifier"),
                C("agency_name", "text", True),
                C("agency_kind", "enum", True, AGENCY_KINDS),
                C("governing_body", "text", True),
                C("media_types", "enum_list", True, MEDIA_TYPES),
                C("licensed_on", "date"),
                C("closed_on", "date"),
            ),
            key=("agency_code",),
            description="The full register of press agencies as at the period end",
            extra_rules=("closed_after_licensed",),
        ),
        Dataset(
            "agency_dx_status",
            (
                C("agency_code", "code", True),
                C("distributes_on_digital_platforms", "bool", True),
                C("uses_domestic_platforms", "bool"),
                C("uses_data_ai_platform", "bool", True),
                C("converged_newsroom", "bool", True),
                C("doing_digital_transformation", "bool", True),
                C("staff_total", "int", min=0),
                C("staff_trained", "int", min=0),
            ),
            key=("agency_code",),
            description="Digital-transformation status of each agency that answered, as at the period end",
            extra_rules=("agency_known", "staff_trained_le_total"),
        ),
        Dataset(
            "agency_revenue",
            (
                C("agency_code", "code", True),
                C("month", "month", True),
                C("revenue_vnd", "int", True, min=0),
            ),
            key=("agency_code", "month"),
            description="Monthly revenue of each agency in VND",
            extra_rules=("agency_known", "month_in_range"),
        ),
        Dataset(
            "agency_revenue_baseline",
            (C("agency_code", "code", True), C("revenue_2022_vnd", "int", True, min=0)),
            key=("agency_code",),
            description="Each agency's 2022 revenue in VND, the baseline of indicator I4",
            extra_rules=("agency_known",),
        ),
        Dataset(
            "agency_security",
            (
                C("agency_code", "code", True),
                C("security_level", "int", True, min=1, max=5),
                C("certified_on", "date"),
            ),
            key=("agency_code",),
            description="Information-security level of electronic press agencies",
            extra_rules=("agency_known",),
        ),
        Dataset(
            "university_curriculum",
            (
                C("institution_code", "code", True),
                C("institution_name", "text", True),
                C("has_journalism_program", "bool", True),
                C("curriculum_updated", "bool", True),
            ),
            key=("institution_code",),
            description="The full list of journalism universities and faculties and their curricula",
        ),
        Dataset(
            "platform_stage",
            (
                C("platform_code", "enum", True, PLATFORMS),
                C("stage", "enum", True, STAGES),
                C("evidence", "text"),
            ),
            key=("platform_code",),
            description="Stage reached by a national digital press platform",
            extra_rules=("platform_assigned",),
        ),
        Dataset(
            "task_progress",
            (
                C("task_code", "code", True),
                C("year", "int", min=2023, max=2030),
                C("status", "enum", True, TASK_STATUSES),
                C("progress_pct", "decimal", min=0, max=100),
                C("output_count", "int", min=0),
                C("deliverable_ref", "text"),
                C("note", "text"),
            ),
            key=("task_code", "year"),
            description="Progress of the action-plan tasks a unit leads",
            extra_rules=("task_known", "task_lead", "annual_task_year"),
        ),
        Dataset(
            "annual_implementation",
            (
                C("section", "enum", True, SECTIONS),
                C("summary", "text", True),
                C("difficulties", "text"),
                C("proposals", "text"),
            ),
            key=("section",),
            description="Annual implementation report of a ministry, province or governing body",
            periods="q4",
        ),
    )
}
del C

# Raw tables carry these columns in front of a dataset's own columns, so that every row can be traced
# to its submission and its source file without a join.
RAW_META_COLUMNS: tuple[tuple[str, str], ...] = (
    ("submission_id", "varchar"),
    ("unit_code", "varchar"),
    ("dataset", "varchar"),
    ("period", "varchar"),
    ("submission_status", "varchar"),  # "status" is a column of task_progress
    ("received_at", "timestamptz"),
    ("sha256", "varchar"),
    ("row_number", "integer"),
)
