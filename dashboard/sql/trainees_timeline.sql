-- One trainee's timeline ($trainee_id): one row per span — the enrollment (to the as-of date while open), each
-- appointment, and each position (start of start_year to end of end_year, or to the as-of date while open);
-- period = 'YYYY-MM-DD to YYYY-MM-DD' for the hover.
with run as (select as_of_date::date as as_of from meta.run),

spans as (
    select 1 as rank, 'Enrollment' as kind, program_name as label,
        start_date as start, coalesce(end_date, as_of) as finish,
    from main.trainee_facts, run
    where trainee_id = $trainee_id
    union all
    select 2, 'Appointment', 'FY' || fiscal_year || ' appointment', start_date, end_date,
    from main.appointment_facts
    where trainee_id = $trainee_id
    union all
    select 3, 'Position', coalesce(nullif(concat_ws(' · ', title, employer), ''), 'Position'),
        make_date(start_year, 1, 1),
        coalesce(make_date(end_year, 12, 31), greatest(as_of, make_date(start_year, 12, 31))),
    from main.position_facts, run
    where trainee_id = $trainee_id
)

select kind, label, start, finish, start::varchar || ' to ' || finish::varchar as period,
from spans
order by rank, start, label
