-- The admissions funnel of the filtered applicants: one row per stage (same definitions as the cohort_funnel mart).
with counted as (
    select
        count(*) as applicants,
        count(*) filter (where interviewed) as interviewed,
        count(*) filter (where admitted) as admitted,
        count(*) filter (where matriculated) as matriculated,
    from filtered_applicants
)

select
    case stage
        when 'applicants' then 'Applied'
        when 'interviewed' then 'Interviewed'
        when 'admitted' then 'Admitted'
        else 'Matriculated'
    end as stage,
    people,
from counted
unpivot (people for stage in (applicants, interviewed, admitted, matriculated))
