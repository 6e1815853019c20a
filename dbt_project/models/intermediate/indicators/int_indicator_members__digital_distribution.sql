-- I1: agencies distributing content on digital platforms. Members: the agencies active at P; in the
-- numerator when distributes_on_digital_platforms is true; unknown when they have no status at P.
select
    {{ boolean_indicator_member('I1', 'distributes_on_digital_platforms') }}
from {{ ref('int_active_agencies__dx_status') }}
