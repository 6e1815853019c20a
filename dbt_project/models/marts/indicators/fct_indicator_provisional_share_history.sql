-- The history of fct_indicator_provisional_share (bitemporal, docs/knowledge-time.md): each indicator's
-- provisional share at each period, valid for known_from <= T < known_to. The same rules
-- (macros/figures/fct_indicator_provisional_share.sql) evaluated at the instants at which one of the
-- versions that can count arrives or is superseded; a row is kept where the share changes.
-- changed_by_submission_id: a submission that arrived at known_from (the smallest id of those).
with evaluated as (
    {{ fct_indicator_provisional_share(h=true) }}
),

arrivals as (
    select received_at as known_at, min(submission_id) as changed_by_submission_id
    from {{ ref('int_submissions__visible') }}
    group by received_at
),

compressed as (
    {{ history_compress('evaluated', ['indicator_code', 'period_code', 'year', 'quarter', 'period_index'],
                        ['submissions_used', 'provisional_submissions', 'provisional_share_pct'],
                        instants='arrivals', instant_keys=[]) }}
)

select
    cast(indicator_code as varchar) as indicator_code,
    cast(period_code as varchar) as period_code,
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(period_index as integer) as period_index,
    cast(submissions_used as integer) as submissions_used,
    cast(provisional_submissions as integer) as provisional_submissions,
    cast(provisional_share_pct as double precision) as provisional_share_pct,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
