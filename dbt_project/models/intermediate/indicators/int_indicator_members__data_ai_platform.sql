-- I2: agencies using a centralised data-analytics / AI platform. Members: the agencies active at P;
-- in the numerator when uses_data_ai_platform is true; unknown when they have no status at P.
select
    {{ boolean_indicator_member('I2', 'uses_data_ai_platform') }}
from {{ ref('int_active_agencies__dx_status') }}
