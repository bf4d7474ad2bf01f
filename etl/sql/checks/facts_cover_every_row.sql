-- Each fact mart holds exactly one row per loaded row, keyed uniquely. Returns a row per mismatch.
with counts as (
    select 'trainee_facts' as mart, (select count(*) from main.trainee_facts) as mart_rows,
        (select count(distinct trainee_id) from main.trainee_facts) as distinct_keys,
        (select count(*) from raw.trainees) as loaded_rows
    union all
    select 'applicant_facts', (select count(*) from main.applicant_facts),
        (select count(distinct applicant_id) from main.applicant_facts), (select count(*) from raw.applicants)
    union all
    select 'appointment_facts', (select count(*) from main.appointment_facts),
        (select count(distinct appointment_id) from main.appointment_facts), (select count(*) from raw.appointments)
)

select mart, mart_rows, distinct_keys, loaded_rows
from counts
where mart_rows <> loaded_rows or distinct_keys <> loaded_rows
