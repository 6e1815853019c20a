-- I5: journalism institutions whose curriculum was updated. Members: the institutions with a journalism
-- programme in the curriculum list at P (full-list stock rule); in the numerator when curriculum_updated
-- is true. Both flags are required in a submission, so every member is known once a list exists.
{{ int_indicator_members__curriculum_updated(h=false) }}
