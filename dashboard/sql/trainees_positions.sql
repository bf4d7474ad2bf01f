-- One trainee's positions ($trainee_id): one row per position, earliest first.
select
    start_year,
    end_year,
    title,
    employer,
    replace(role_group, '_', ' ') as role_group,
    replace(sector, '_', ' ') as sector,
    replace(career_type, '_', ' ') as career_type,
    job_function,
from main.position_facts
where trainee_id = $trainee_id
order by start_year, position_id
