-- One trainee's positions ($trainee_id): one row per position, earliest first; coded values as their labels
-- (main.vocabulary).
with labels as (select vocabulary, code, label from main.vocabulary)

select
    p.start_year,
    p.end_year,
    p.title,
    p.employer,
    coalesce(r.label, p.role_group) as role_group,
    coalesce(s.label, p.sector) as sector,
    coalesce(c.label, p.career_type) as career_type,
    p.job_function,
from main.position_facts as p
left join labels as r on r.vocabulary = 'role_group' and r.code = p.role_group
left join labels as s on s.vocabulary = 'sector' and s.code = p.sector
left join labels as c on c.vocabulary = 'career_type' and c.code = p.career_type
where p.trainee_id = $trainee_id
order by p.start_year, p.position_id
