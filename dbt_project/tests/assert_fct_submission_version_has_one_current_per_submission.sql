-- Knowledge time: every (unit, dataset, period) known at as_of has exactly one current version, the one
-- received last, and the provenance of a period counts each version once. A returned row breaks that.
with per_key as (
    select unit_code, dataset, period_code, period_index,
        sum(case when is_current then 1 else 0 end) as current_versions,
        count(*) as versions,
        max(received_at) as last_received_at,
        max(case when is_current then received_at end) as current_received_at
    from {{ ref('fct_submission_version') }}
    group by unit_code, dataset, period_code, period_index
)

select unit_code, dataset, period_code
from per_key
where current_versions <> 1 or current_received_at <> last_received_at
union all
select 'all' as unit_code, p.dataset, p.period_code
from {{ ref('fct_report_provenance') }} as p
left join (
    select c.period_code, v.dataset, count(*) as versions
    from {{ ref('stg_reference__reporting_calendar') }} as c
    inner join {{ ref('fct_submission_version') }} as v
        on v.period_index <= c.period_index
    group by c.period_code, v.dataset
) as v
    on v.period_code = p.period_code
    and v.dataset = p.dataset
where p.submissions_used + p.superseded <> coalesce(v.versions, 0)
    or p.official + p.provisional <> p.submissions_used
