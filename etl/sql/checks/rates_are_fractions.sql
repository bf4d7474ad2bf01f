-- Rates and shares lie between 0 and 1. Returns a row per offending value.
select 'completion.completion_rate' as figure, program_id, cohort_year as year, completion_rate as value
from main.completion where completion_rate not between 0 and 1
union all
select 'cohort_funnel.admit_rate', program_id, cycle_year, admit_rate
from main.cohort_funnel where admit_rate not between 0 and 1
union all
select 'cohort_funnel.yield_rate', program_id, cycle_year, yield_rate
from main.cohort_funnel where yield_rate not between 0 and 1
