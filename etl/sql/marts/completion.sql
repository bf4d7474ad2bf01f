-- completion: one row per program and cohort year present in trainees.
-- active counts active and on_leave; completion_rate = graduated / entrants;
-- median_years_to_degree over graduates (an even count averages the two middle values).
-- is_in_progress: the cohort's nominal length has not run out by the as-of date (trainee_facts.is_cohort_in_progress):
-- its rate and median are not final (most of its trainees cannot have finished yet).
with trainees as (select * from main.trainee_facts),

final as (
    select
        program_id,
        cohort_year,
        count(*) as entrants,
        count(*) filter (where status = 'graduated') as graduated,
        count(*) filter (where status = 'withdrawn') as withdrawn,
        count(*) filter (where status = 'transferred') as transferred,
        count(*) filter (where is_active) as active,
        count(*) filter (where has_terminal_degree) as terminal_degrees,
        count(*) filter (where status = 'graduated') / count(*) as completion_rate,
        median(years_to_degree) as median_years_to_degree,
        bool_or(is_cohort_in_progress) as is_in_progress,
    from trainees
    group by program_id, cohort_year
)

select * from final
order by program_id, cohort_year
