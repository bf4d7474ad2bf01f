-- applicant_facts: one row per application, with the filter dimensions and funnel flags.
with applicants as (select * from staging.applicants),

programs as (select * from staging.programs),

final as (
    select
        a.applicant_id,
        a.program_id,
        p.program_name,
        p.program_level,
        a.track_id,
        a.cycle_year,
        a.citizenship,
        a.is_nrsa_eligible,
        a.gender,
        a.is_urm,
        a.interviewed,
        a.admitted,
        a.matriculated,
    from applicants as a
    left join programs as p using (program_id)
)

select * from final
order by applicant_id
