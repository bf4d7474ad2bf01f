-- public_scope: one row: the first and last cohort years on file and the data's as-of date, from which the public
-- outcomes fix their cohort bands.
select
    min(t.cohort_year) as first_cohort_year,
    max(t.cohort_year) as last_cohort_year,
    any_value(r.as_of_date) as as_of_date,
from main.trainee_facts as t
cross join meta.run as r
