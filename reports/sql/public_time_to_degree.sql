-- public_time_to_degree: one row per program and cohort band (zeros included): graduates so far, and the median of
-- their years_to_degree (elapsed from start to degree, leaves included; an even count averages the two middle
-- values; null without graduates).
select
    pb.program_id,
    pb.program_name,
    pb.band_start,
    pb.band_label,
    count(e.start_date) filter (where e.outcome <> 'not_graduated') as graduates,
    median(e.years_to_degree) as median_years_to_degree,
from program_bands as pb
left join entrants as e on e.program_id = pb.program_id and e.band_start = pb.band_start
group by all
order by program_id, band_start
