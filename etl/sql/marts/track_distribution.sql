-- track_distribution: one row per program, cohort year and track (null = no track) present in trainees.
-- share = trainees / all trainees of that program and cohort year.
with trainees as (select * from main.trainee_facts),

counted as (
    select
        program_id,
        cohort_year,
        track_id,
        count(*) as trainees,
    from trainees
    group by program_id, cohort_year, track_id
),

final as (
    select
        *,
        trainees / sum(trainees) over (partition by program_id, cohort_year) as share,
    from counted
)

select * from final
order by program_id, cohort_year, track_id nulls first
