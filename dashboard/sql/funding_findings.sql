-- NRSA-eligibility findings, for administrators only: one row per NIH-funded appointment (nlm_t15,
-- nih_training_other) of a filtered trainee whose citizenship at appointment is not NRSA-eligible
-- (appointment_facts.is_eligibility_finding), with the trainee's name (trainee_directory) and program.
select
    a.trainee_id,
    d.given_name || ' ' || d.family_name as trainee_name,
    t.program_name,
    a.appointment_id,
    a.fiscal_year,
    a.funding_source,
    a.grant_number,
    a.citizenship_at_appointment,
from filtered_appointments as a
inner join filtered_trainees as t using (trainee_id)
inner join main.trainee_directory as d using (trainee_id)
where a.is_eligibility_finding
order by a.fiscal_year, a.trainee_id, a.appointment_id
