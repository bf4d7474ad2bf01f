-- The years the Overview offers (no filters): one row. An academic year runs July to June and is named by the year it
-- starts in (cohort Y enters in academic year Y). Offered: the first cohort year to the later of the last cohort year
-- and the academic year holding the data's as-of date; the default is the last cohort year.
with trainees as (select * from main.trainee_facts),

run as (select as_of_date from meta.run),

final as (
    select
        min(t.cohort_year) as first_cohort_year,
        max(t.cohort_year) as last_cohort_year,
        any_value(year(r.as_of_date) - case when month(r.as_of_date) < 7 then 1 else 0 end) as as_of_academic_year,
    from trainees as t
    cross join run as r
)

select
    first_cohort_year,
    last_cohort_year,
    greatest(last_cohort_year, as_of_academic_year) as last_academic_year,
from final
