-- public_enrollment: entrants, one row per program and cohort band (zeros included), by gender group (women; men;
-- another gender or not reported) and by citizenship group (domestic = US citizen, non-citizen national or permanent
-- resident; international = temporary visa; unknown), and the URM entrants among the domestic ones only (as CNGLS
-- counts URM). *_pct: whole percents of entrants; urm_pct: of domestic entrants (null when the denominator is 0).
with counted as (
    select
        pb.program_id,
        pb.program_name,
        pb.band_start,
        pb.band_label,
        count(e.start_date) as entrants,
        count(e.start_date) filter (where e.gender_group = 'women') as women,
        count(e.start_date) filter (where e.gender_group = 'men') as men,
        count(e.start_date) filter (where e.gender_group = 'another') as another_gender,
        count(e.start_date) filter (where e.origin in ('domestic_urm', 'domestic_other')) as domestic,
        count(e.start_date) filter (where e.origin = 'international') as international,
        count(e.start_date) filter (where e.origin = 'unknown') as citizenship_unknown,
        count(e.start_date) filter (where e.origin = 'domestic_urm') as urm_domestic,
    from program_bands as pb
    left join entrants as e on e.program_id = pb.program_id and e.band_start = pb.band_start
    group by all
)

select
    *,
    round(100 * women / nullif(entrants, 0))::integer as women_pct,
    round(100 * men / nullif(entrants, 0))::integer as men_pct,
    round(100 * another_gender / nullif(entrants, 0))::integer as another_gender_pct,
    round(100 * domestic / nullif(entrants, 0))::integer as domestic_pct,
    round(100 * international / nullif(entrants, 0))::integer as international_pct,
    round(100 * citizenship_unknown / nullif(entrants, 0))::integer as citizenship_unknown_pct,
    round(100 * urm_domestic / nullif(domestic, 0))::integer as urm_pct,
from counted
order by program_id, band_start
