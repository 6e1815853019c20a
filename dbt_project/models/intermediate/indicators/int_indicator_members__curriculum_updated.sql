-- I5: journalism institutions whose curriculum was updated. Members: the institutions with a journalism
-- programme in the curriculum list at P (full-list stock rule); in the numerator when curriculum_updated
-- is true. Both flags are required in a submission, so every member is known once a list exists.
select
    {{ boolean_indicator_member('I5', 'curriculum_updated', 'institution_code') }}
from {{ ref('int_university_curriculum__at_period') }}
where has_journalism_program
