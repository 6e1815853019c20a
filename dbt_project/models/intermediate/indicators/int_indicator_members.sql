-- Denominator members of every ratio indicator computed from members (see macros/indicators.sql),
-- one row per indicator, period and member.
{%- for code, model in pressdx_member_indicators().items() %}
select
    indicator_code,
    period_code,
    member_code,
    is_known,
    numerator_value,
    denominator_value
from {{ ref(model) }}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
