-- cohort_sizes: one row per program, track (null = no track) and cohort year present in trainees.
with trainees as (select * from main.trainee_facts),

final as (
    select
        program_id,
        track_id,
        cohort_year,
        count(*) as entrants,
        count(*) filter (where gender = 'female') as female,
        count(*) filter (where is_urm) as urm,
        count(*) filter (where is_nrsa_eligible) as eligible,
    from trainees
    group by program_id, track_id, cohort_year
)

select * from final
order by program_id, cohort_year, track_id nulls first
