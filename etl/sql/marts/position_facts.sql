-- position_facts: one row per position held, with the holder's program, track and cohort, and whether it is the
-- holder's initial position (earliest start_year; ties to the smallest position_id) or current position (the open
-- position with the latest start_year; ties to the smallest position_id). trainee_facts takes both from here.
with positions as (select * from staging.positions),

trainees as (
    select trainee_id, program_id, track_id, cohort_year, status = 'graduated' as is_graduate,
    from staging.trainees
),

first_years as (
    select trainee_id, min(start_year) as start_year,
    from positions
    group by trainee_id
),

initial_positions as (
    select min(position_id) as position_id,
    from positions
    inner join first_years using (trainee_id, start_year)
    group by trainee_id
),

latest_open_years as (
    select trainee_id, max(start_year) as start_year,
    from positions
    where is_open
    group by trainee_id
),

current_positions as (
    select min(position_id) as position_id,
    from positions
    inner join latest_open_years using (trainee_id, start_year)
    where is_open
    group by trainee_id
),

ranked as (
    select
        *,
        position_id in (select position_id from initial_positions) as is_initial,
        position_id in (select position_id from current_positions) as is_current,
    from positions
),

final as (
    select
        r.position_id,
        r.trainee_id,
        t.program_id,
        t.track_id,
        t.cohort_year,
        t.is_graduate,
        r.start_year,
        r.end_year,
        r.is_open,
        r.title,
        r.employer,
        r.sector,
        r.career_type,
        r.job_function,
        r.role_group,
        r.is_initial,
        r.is_current,
    from ranked as r
    left join trainees as t using (trainee_id)
)

select * from final
order by position_id
