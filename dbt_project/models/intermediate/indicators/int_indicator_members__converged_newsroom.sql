-- I3: agencies running a converged newsroom. Members: the agencies active at P with two or more media
-- types; in the numerator when converged_newsroom is true; unknown when they have no status at P.
select
    {{ boolean_indicator_member('I3', 'converged_newsroom') }}
from {{ ref('int_active_agencies__dx_status') }}
where has_multiple_media_types
