-- milestone_facts: one row per milestone reached, with the trainee's program, track and cohort.
with milestones as (select * from staging.milestones),

trainees as (select trainee_id, program_id, track_id, cohort_year, start_date from staging.trainees),

final as (
    select
        m.trainee_id,
        t.program_id,
        t.track_id,
        t.cohort_year,
        m.milestone,
        m.milestone_date,
        (m.milestone_date - t.start_date) / 365.25 as years_from_start,
    from milestones as m
    left join trainees as t using (trainee_id)
)

select * from final
order by trainee_id, milestone_date, milestone
