-- How many alumni the selection holds and how many have no position on file: one row.
-- Alumni = graduated trainees (as in the career_outcomes mart). A position kind is 'unknown' when trainee_facts finds
-- none: no position at all (initial), no open position (current). Shares are of all alumni (null when none).
with alumni as (select * from filtered_trainees where is_graduate),

counted as (
    select
        count(*) as alumni,
        count(*) filter (where initial_role_group = 'unknown') as initial_unknown,
        count(*) filter (where current_role_group = 'unknown') as current_unknown,
    from alumni
)

select
    alumni,
    initial_unknown,
    current_unknown,
    initial_unknown / nullif(alumni, 0) as initial_unknown_share,
    current_unknown / nullif(alumni, 0) as current_unknown_share,
from counted
