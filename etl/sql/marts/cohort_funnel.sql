-- cohort_funnel: one row per program and cycle year present in applicants.
-- eligible = citizenship us_citizen / noncitizen_national / permanent_resident.
-- admit_rate = admitted / applicants; yield_rate = matriculated / admitted (null when nobody was admitted).
with applicants as (select * from main.applicant_facts),

counted as (
    select
        program_id,
        cycle_year,
        count(*) as applicants,
        count(*) filter (where is_nrsa_eligible) as eligible_applicants,
        count(*) filter (where interviewed) as interviewed,
        count(*) filter (where admitted) as admitted,
        count(*) filter (where matriculated) as matriculated,
        count(*) filter (where matriculated and is_nrsa_eligible) as eligible_matriculated,
    from applicants
    group by program_id, cycle_year
),

final as (
    select
        *,
        admitted / applicants as admit_rate,
        case when admitted > 0 then matriculated / admitted end as yield_rate,
    from counted
)

select * from final
order by program_id, cycle_year
