{{ changes_with(['university_curriculum']) }}
-- The list of journalism institutions at each period P in scope (I5): the current university_curriculum
-- submission with the latest period in the window P-3..P, whole (an institution missing from it is not
-- on the list at P). No list in the window: no row for P.
{{ int_university_curriculum__at_period(h=false) }}
