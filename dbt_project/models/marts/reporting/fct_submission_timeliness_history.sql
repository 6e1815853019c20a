-- The history of fct_submission_timeliness (bitemporal, docs/knowledge-time.md): each expected submission's
-- state, versions and provisional flag, valid for knowledge instants known_from <= T < known_to (NULL: from the
-- start of time / still current). States change only when a version arrives, at a due instant, or when the
-- roster or an annual report changes who is expected, so the rules are evaluated at those instants
-- (int_knowledge__reporting_instants); an expected submission that does not exist at T has no row then.
with compressed as (
    {{ history_compress(
        ref('int_submission_timeliness__history'),
        ['unit_code', 'dataset', 'period_code', 'year', 'quarter', 'period_index'],
        ['frequency', 'expected_because', 'due_at', 'state', 'provisional', 'first_received_at', 'days_late', 'current_received_at', 'version_count', 'first_submission_id', 'current_submission_id', 'current_submission_status'],
        instants=ref('int_knowledge__reporting_instants'), instant_keys=['period_code'],
        grid=ref('int_knowledge__reporting_instants'), grid_keys=['period_code']
    ) }}
)

select
    cast(unit_code as varchar) as unit_code,
    cast(dataset as varchar) as dataset,
    cast(period_code as varchar) as period_code,
    cast(year as integer) as year,
    cast(quarter as integer) as quarter,
    cast(period_index as integer) as period_index,
    cast(frequency as varchar) as frequency,
    cast(expected_because as varchar) as expected_because,
    cast(due_at as timestamptz) as due_at,
    cast(state as varchar) as state,
    cast(provisional as boolean) as provisional,
    cast(first_received_at as timestamptz) as first_received_at,
    cast(days_late as integer) as days_late,
    cast(current_received_at as timestamptz) as current_received_at,
    cast(version_count as integer) as version_count,
    cast(first_submission_id as varchar) as first_submission_id,
    cast(current_submission_id as varchar) as current_submission_id,
    cast(current_submission_status as varchar) as current_submission_status,
    cast(known_from as timestamptz) as known_from,
    cast(known_to as timestamptz) as known_to,
    cast(changed_by_submission_id as varchar) as changed_by_submission_id
from compressed
