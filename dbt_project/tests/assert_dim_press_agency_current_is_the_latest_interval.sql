-- Singular test: dim_press_agency_current has exactly one row for every agency of dim_press_agency, the
-- row of its latest interval (the highest version_number, which is also the latest valid_from_period),
-- and is_registered is true exactly for the agencies with an interval reaching the through period. A
-- returned row is an agency missing from the current view, present twice, or with the wrong interval:
-- a BI join on agency_code would drop it, double its figures, or show a stale name.
with latest as (
    select agency_code, max(version_number) as version_number, max(valid_from_period) as valid_from_period,
           max(case when is_current then 1 else 0 end) as has_current
    from {{ ref('dim_press_agency') }}
    group by agency_code
),

current_rows as (
    select agency_code, count(*) as n, max(version_number) as version_number,
           max(valid_from_period) as valid_from_period, max(case when is_registered then 1 else 0 end) as registered
    from {{ ref('dim_press_agency_current') }}
    group by agency_code
)

select coalesce(l.agency_code, c.agency_code) as agency_code, l.version_number, c.version_number as current_version, c.n
from latest as l
full outer join current_rows as c
    on c.agency_code = l.agency_code
where l.agency_code is null
    or c.agency_code is null
    or c.n <> 1
    or c.version_number <> l.version_number
    or c.valid_from_period <> l.valid_from_period
    or c.registered <> l.has_current
