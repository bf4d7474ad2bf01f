-- Entrants of the filtered population by cohort year and each demographic dimension (gender, URM, citizenship).
with trainees as (select * from filtered_trainees),

long as (
    select cohort_year, 'Gender' as dimension, gender as category from trainees
    union all
    select cohort_year, 'URM', case when is_urm then 'URM' else 'Not URM' end from trainees
    union all
    select cohort_year, 'Citizenship', citizenship from trainees
)

select cohort_year, dimension, category, count(*) as entrants
from long
group by all
order by dimension, cohort_year, category
