-- Completion and time to degree by program and track (null track = no track): one row per program and track present
-- in the filtered trainees. Same definitions as the completion mart: entrants = trainees of the selected cohorts;
-- graduated = status 'graduated'; completion_rate = graduated / entrants (trainees still enrolled count as entrants
-- who have not completed); median_years_to_degree = median of years_to_degree over graduates (elapsed years from
-- start to degree, leaves included; an even count averages the two middle values).
select
    program_id,
    track_id,
    count(*) as entrants,
    count(*) filter (where status = 'graduated') as graduated,
    count(*) filter (where status = 'graduated') / count(*) as completion_rate,
    median(years_to_degree) as median_years_to_degree,
from filtered_trainees
group by program_id, track_id
order by program_id, track_id nulls first
