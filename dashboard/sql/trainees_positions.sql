-- One trainee's positions ($trainee_id): one row per position, earliest first. No mart holds positions at this
-- grain, so this reads the snapshot's staging.positions (typed source rows).
select
    start_year,
    end_year,
    title,
    employer,
    replace(role_group, '_', ' ') as role_group,
    replace(sector, '_', ' ') as sector,
    replace(career_type, '_', ' ') as career_type,
    job_function,
from staging.positions
where trainee_id = $trainee_id
order by start_year, position_id
