-- applicant_facts: one row per application, with the filter dimensions and funnel flags.
-- is_cohort_in_progress: as trainee_facts defines it for the cohort the cycle admits (cohort year = cycle year).
with applicants as (select * from staging.applicants),

programs as (select * from staging.programs),

run as (select as_of_date from meta.run),

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
        run.as_of_date < make_date(a.cycle_year + p.nominal_years, 7, 1) as is_cohort_in_progress,
    from applicants as a
    cross join run
    left join programs as p using (program_id)
)

select * from final
order by applicant_id
