-- appointment_facts: one row per appointment, with the trainee's dimensions, amounts and the NRSA level on file.
-- trainee_years = (end_date - start_date + 1) days / 365.25. NRSA level: predoctoral programs have one level
-- (experience 0); postdoctoral level = min(7, postdoc_experience_years (default 0) + whole years since the trainee's
-- start_date at the appointment's start, never below 0). expected = annual level x trainee_years.
with appointments as (select * from staging.appointments),

trainees as (select * from staging.trainees),

programs as (select * from staging.programs),

levels as (select * from staging.nrsa_stipend_levels),

joined as (
    select
        a.appointment_id,
        a.trainee_id,
        t.person_id,
        t.program_id,
        p.program_level,
        t.track_id,
        t.cohort_year,
        a.fiscal_year,
        a.funding_source,
        a.funding_source in ('nlm_t15', 'nih_training_other') as is_nih_funded,
        a.grant_number,
        a.start_date,
        a.end_date,
        (a.end_date - a.start_date + 1) / 365.25 as trainee_years,
        a.stipend_usd,
        a.tuition_fees_usd,
        a.health_insurance_usd,
        a.travel_usd,
        a.stipend_usd + a.tuition_fees_usd + a.health_insurance_usd + a.travel_usd as total_usd,
        a.citizenship_at_appointment,
        a.citizenship_at_appointment in ('us_citizen', 'noncitizen_national', 'permanent_resident')
            as is_nrsa_eligible,
        coalesce(a.start_date < t.start_date or a.end_date > t.end_date, false) as is_outside_training,
        case
            when p.program_level = 'predoctoral' then 0
            when p.program_level = 'postdoctoral' then least(
                7, coalesce(t.postdoc_experience_years, 0) + greatest(0, date_sub('year', t.start_date, a.start_date))
            )
        end as nrsa_experience_level,
    from appointments as a
    left join trainees as t using (trainee_id)
    left join programs as p on p.program_id = t.program_id
),

final as (
    select
        j.*,
        j.is_nih_funded and not j.is_nrsa_eligible as is_eligibility_finding,
        l.annual_stipend_usd as nrsa_annual_level_usd,
        l.annual_stipend_usd * j.trainee_years as nrsa_expected_usd,
    from joined as j
    left join levels as l
        on l.fiscal_year = j.fiscal_year
        and l.career_level = j.program_level
        and l.experience_years = j.nrsa_experience_level
)

select * from final
order by appointment_id
