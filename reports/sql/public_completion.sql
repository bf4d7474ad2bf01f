-- public_completion: completion within 8 and 10 years of entry, one row per program and cohort band (zeros
-- included): entrants; graduated_within_8 / _10 = graduates whose years_to_degree (elapsed, leaves included) is at
-- most 8 / 10; *_pct = of entrants, whole percents. A band has_8_years (has_10_years) once every entrant's
-- start_date lies at least that many years before the data's as-of date (an empty band trivially); until then its
-- count and percent are null ("in progress"): they could still rise.
with counted as (
    select
        pb.program_id,
        pb.program_name,
        pb.band_start,
        pb.band_label,
        count(e.start_date) as entrants,
        count(e.start_date) filter (where e.outcome = 'within_8') as within_8,
        count(e.start_date) filter (where e.outcome in ('within_8', 'within_10')) as within_10,
        coalesce(max(e.start_date) + to_years(8) <= any_value(r.as_of_date), true) as has_8_years,
        coalesce(max(e.start_date) + to_years(10) <= any_value(r.as_of_date), true) as has_10_years,
    from program_bands as pb
    cross join run as r
    left join entrants as e on e.program_id = pb.program_id and e.band_start = pb.band_start
    group by pb.program_id, pb.program_name, pb.band_start, pb.band_label
)

select
    program_id,
    program_name,
    band_start,
    band_label,
    entrants,
    has_8_years,
    has_10_years,
    case when has_8_years then within_8 end as graduated_within_8,
    case when has_10_years then within_10 end as graduated_within_10,
    case when has_8_years then round(100 * within_8 / nullif(entrants, 0))::integer end as within_8_pct,
    case when has_10_years then round(100 * within_10 / nullif(entrants, 0))::integer end as within_10_pct,
from counted
order by program_id, band_start
