select
    cast(unit_code as varchar) as unit_code,
    cast(dataset as varchar) as dataset,
    cast(frequency as varchar) as frequency,
    cast(first_period as varchar) as first_period
from {{ ref('dataset_assignments') }}
