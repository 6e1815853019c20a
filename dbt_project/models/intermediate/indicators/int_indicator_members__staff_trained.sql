-- I6: press staff trained in digital transformation, a ratio of persons. Members: the agencies active at
-- P; known when both staff_total and staff_trained are known at P (per-subject stock rule); a known member
-- adds staff_trained to the numerator and staff_total to the denominator, an unknown one adds 0 to both,
-- so value_pct = Σ trained / Σ total over the known agencies and coverage_pct = known agencies / active
-- agencies.
select
    cast('I6' as varchar) as indicator_code,
    period_code,
    agency_code as member_code,
    staff_total is not null and staff_trained is not null as is_known,
    cast(case when staff_total is not null and staff_trained is not null then staff_trained else 0 end as bigint)
        as numerator_value,
    cast(case when staff_total is not null and staff_trained is not null then staff_total else 0 end as bigint)
        as denominator_value
from {{ ref('int_active_agencies__dx_status') }}
