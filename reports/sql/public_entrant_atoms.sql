-- public_entrant_atoms: the audit's truth: one row per program, cohort band and combination of every grouping the
-- public tables publish about entrants (public_base: gender_group, origin, outcome, sector, career_type; 'none'
-- where a grouping does not apply), with the number of entrants in it.
select
    program_id,
    band_start,
    gender_group,
    origin,
    outcome,
    coalesce(sector, 'none') as sector,
    coalesce(career_type, 'none') as career_type,
    count(*) as people,
from entrants
group by all
order by all
