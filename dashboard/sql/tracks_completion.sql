-- Completion and time to degree by program and track (null track = no track): one row per program and track present
-- in the filtered trainees. Same definitions as the completion mart, over the settled cohorts only (those whose
-- program's nominal length has run out: trainee_facts.is_cohort_in_progress is false), since a cohort in progress
-- would read as low completion: entrants = trainees of settled cohorts; graduated = those with status 'graduated';
-- completion_rate = graduated / entrants (null without settled entrants); median_years_to_degree = median of their
-- graduates' years_to_degree (elapsed, leaves included); in_progress = trainees of cohorts still in progress.
-- track_label names the track, or the program when there is none.
with trainees as (select * from filtered_trainees),

final as (
    select
        program_id,
        track_id,
        coalesce(any_value(track_name), any_value(program_name) || ' (no track)') as track_label,
        count(*) filter (where not is_cohort_in_progress) as entrants,
        count(*) filter (where not is_cohort_in_progress and status = 'graduated') as graduated,
        graduated / nullif(entrants, 0) as completion_rate,
        median(years_to_degree) filter (where not is_cohort_in_progress) as median_years_to_degree,
        count(*) filter (where is_cohort_in_progress) as in_progress,
    from trainees
    group by program_id, track_id
)

select * from final
order by program_id, track_id nulls first
