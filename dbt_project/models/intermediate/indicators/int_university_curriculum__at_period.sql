-- The list of journalism institutions at each period P in scope (I5): the current university_curriculum
-- submission with the latest period in the window P-3..P, whole (an institution missing from it is not
-- on the list at P). No list in the window: no row for P.
with lists as (
    {{ stock_full_list_submissions('university_curriculum') }}
)

select
    l.period_code,
    l.period_index,
    c.institution_code,
    c.institution_name,
    c.has_journalism_program,
    c.curriculum_updated,
    l.submission_id as source_submission_id,
    l.source_period_code
from lists as l
inner join {{ ref('stg_raw__university_curricula') }} as c
    on c.submission_id = l.submission_id
