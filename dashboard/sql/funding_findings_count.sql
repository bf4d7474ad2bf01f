-- How many NRSA-eligibility findings (appointment_facts.is_eligibility_finding) the filtered appointments hold: one
-- row with the appointments and the distinct trainees concerned (no names: every role may see it, suppressed).
select
    count(*) as appointments,
    count(distinct trainee_id) as trainees,
from filtered_appointments
where is_eligibility_finding
