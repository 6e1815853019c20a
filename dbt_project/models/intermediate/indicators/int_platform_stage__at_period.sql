{{ changes_with(['platform_stage']) }}
-- Each national platform's stage at each period P in scope (I8R, I8T, I8E): the row from the current
-- platform_stage submission with the latest period in the window P-3..P that contains the platform.
-- A platform that appears in no such submission has no row here: its stage is unknown at P.
{{ int_platform_stage__at_period(h=false) }}
