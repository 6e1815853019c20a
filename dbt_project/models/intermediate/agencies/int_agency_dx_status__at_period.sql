{{ changes_with(['agency_dx_status']) }}
-- Each agency's digital-transformation status at each period P in scope: the row from the current
-- agency_dx_status submission with the latest period in the window P-3..P that contains the agency.
-- An agency that appears in no such submission has no row here: its status is unknown at P.
{{ int_agency_dx_status__at_period(h=false) }}
