-- One trainee's milestones ($trainee_id): one row per milestone reached, in date order (milestone_facts); the date as ISO text.
select
    milestone_date::varchar as milestone_date,
    upper(milestone[1]) || replace(milestone[2:], '_', ' ') as milestone,
    years_from_start,
from main.milestone_facts
where trainee_id = $trainee_id
order by milestone_date, milestone
