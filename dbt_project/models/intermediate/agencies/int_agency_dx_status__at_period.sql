-- Each agency's digital-transformation status at each period P in scope: the row from the current
-- agency_dx_status submission with the latest period in the window P-3..P that contains the agency.
-- An agency that appears in no such submission has no row here: its status is unknown at P.
{{ stock_per_subject(
    'agency_dx_status',
    ref('stg_raw__agency_dx_statuses'),
    'agency_code',
    [
        'distributes_on_digital_platforms',
        'uses_domestic_platforms',
        'uses_data_ai_platform',
        'converged_newsroom',
        'doing_digital_transformation',
        'staff_total',
        'staff_trained',
    ]
) }}
