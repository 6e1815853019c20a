-- A provisional share counts current versions only, at most one per unit and stock dataset: no more
-- provisional submissions than used, no more used than the current versions up to the period, and a
-- share between 0 and 100. A returned row breaks that.
with current_versions as (
    select p.period_code, count(*) as available
    from {{ ref('fct_indicator_provisional_share') }} as p
    inner join {{ ref('fct_submission_version') }} as v
        on v.is_current
        and v.period_index <= p.period_index
    where p.indicator_code = 'I4'
    group by p.period_code
)

select s.indicator_code, s.period_code, s.submissions_used, s.provisional_submissions, s.provisional_share_pct
from {{ ref('fct_indicator_provisional_share') }} as s
left join current_versions as c
    on c.period_code = s.period_code
where s.provisional_submissions > s.submissions_used
    or s.submissions_used > coalesce(c.available, 0)
    or s.provisional_share_pct < 0
    or s.provisional_share_pct > 100
    or (s.submissions_used = 0) <> (s.provisional_share_pct is null)
