-- staging.applicants: one row per application; NRSA eligibility decided from citizenship.
with source as (select * from raw.applicants),

final as (
    select
        applicant_id,
        program_id,
        track_id,
        cycle_year,
        citizenship,
        citizenship in ('us_citizen', 'noncitizen_national', 'permanent_resident') as is_nrsa_eligible,
        gender,
        is_urm,
        interviewed,
        admitted,
        matriculated,
    from source
)

select * from final
