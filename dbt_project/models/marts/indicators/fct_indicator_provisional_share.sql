-- The provisional share of each indicator's figure at each period: of the submissions the figure is
-- computed from (their current versions at as_of), the share whose current version is provisional
-- (docs/report.md, "Provisional share"). Which datasets an indicator reads: pressdx_indicator_datasets().
-- Which of their submissions count at period P:
--   stock datasets (register, dx status, security, curricula, platform stage): per unit, the current
--     submission of the latest period in the look-back window P-3..P (var('stock_lookback_periods'));
--   agency_revenue (I4): every current submission of P's reporting year up to P;
--   agency_revenue_baseline (I4): per unit, the latest current one up to P;
--   I8R/I8T/I8E: only the platform's responsible unit (platform_responsibilities).
{%- set lookback = var('stock_lookback_periods', 4) %}
with periods as (
    select * from {{ ref('int_reporting_periods__reportable') }}
),

indicator_datasets as (
    {%- for code, datasets in pressdx_indicator_datasets().items() %}
    {%- for ds in datasets %}
    select cast('{{ code }}' as varchar) as indicator_code, cast('{{ ds }}' as varchar) as dataset
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

current_versions as (
    select *
    from {{ ref('int_submissions__visible') }}
    where is_current and period_index is not null
),

candidates as (
    select
        d.indicator_code,
        p.period_code,
        d.dataset,
        s.unit_code,
        s.submission_id,
        s.submission_status,
        case
            when d.dataset = 'agency_revenue' then 1
            else row_number() over (
                partition by d.indicator_code, p.period_code, d.dataset, s.unit_code
                order by s.period_index desc, s.received_at desc, s.submission_id desc
            )
        end as pick
    from periods as p
    cross join indicator_datasets as d
    inner join current_versions as s
        on s.dataset = d.dataset
        and s.period_index <= p.period_index
    left join {{ ref('stg_reference__platform_responsibilities') }} as r
        on r.indicator_code = d.indicator_code
    where (r.unit_code is null or s.unit_code = r.unit_code)
        and (
            (d.dataset = 'agency_revenue' and s.year = p.year)
            or d.dataset = 'agency_revenue_baseline'
            or (
                d.dataset not in ('agency_revenue', 'agency_revenue_baseline')
                and s.period_index > p.period_index - {{ lookback }}
            )
        )
),

counted as (
    select
        indicator_code,
        period_code,
        count(*) as submissions_used,
        sum(case when submission_status = 'provisional' then 1 else 0 end) as provisional_submissions
    from candidates
    where pick = 1
    group by indicator_code, period_code
)

select
    cast(i.indicator_code as varchar) as indicator_code,
    cast(p.period_code as varchar) as period_code,
    cast(p.year as integer) as year,
    cast(p.quarter as integer) as quarter,
    cast(p.period_index as integer) as period_index,
    cast(coalesce(c.submissions_used, 0) as integer) as submissions_used,
    cast(coalesce(c.provisional_submissions, 0) as integer) as provisional_submissions,
    {{ pct('c.provisional_submissions', 'c.submissions_used') }} as provisional_share_pct,
    b.as_of
from {{ ref('stg_reference__indicators') }} as i
cross join periods as p
cross join {{ ref('int_build__params') }} as b
left join counted as c
    on c.indicator_code = i.indicator_code
    and c.period_code = p.period_code
