select
    cast(period_code as varchar) as period_code,
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(period_index as integer) as period_index,
    cast(coverage_start as date) as coverage_start,
    cast(coverage_end as date) as coverage_end,
    cast(due_at as timestamptz) as due_at,
    cast(annual_report_due_at as timestamptz) as annual_report_due_at,
    cast(needs_trend_review as boolean) as needs_trend_review
from {{ ref('reporting_calendar') }}
