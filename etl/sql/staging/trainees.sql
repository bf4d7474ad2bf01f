-- staging.trainees: one row per enrollment; person_id defaults to trainee_id.
with source as (select * from raw.trainees),

final as (
    select
        trainee_id,
        coalesce(person_id, trainee_id) as person_id,
        applicant_id,
        program_id,
        track_id,
        cohort_year,
        start_date,
        end_date,
        status,
        degree_awarded,
        prior_degrees,
        residency_completed,
        citizenship,
        citizenship in ('us_citizen', 'noncitizen_national', 'permanent_resident') as is_nrsa_eligible,
        gender,
        is_urm,
        given_name,
        family_name,
        email,
        mentor,
        research_topic,
        postdoc_experience_years,
    from source
)

select * from final
