-- The values the shared filters offer: one row per program and track (null track = no track) in the trainee facts.
select
    program_id,
    any_value(program_name) as program_name,
    track_id,
    any_value(track_name) as track_name,
    min(cohort_year) as first_cohort_year,
    max(cohort_year) as last_cohort_year,
from main.trainee_facts
group by program_id, track_id
order by program_id, track_id nulls first
