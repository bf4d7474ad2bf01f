-- Entrants of the filtered population by cohort year and each demographic dimension (gender, URM, citizenship): one
-- row per cohort year, dimension and category present. Categories come in their vocabulary's order (main.vocabulary),
-- so a chart lists them as the filters do; URM before not URM.
with trainees as (select * from filtered_trainees),

long as (
    select cohort_year, 'Gender' as dimension, gender as category, 'gender' as vocabulary from trainees
    union all
    select cohort_year, 'URM', case when is_urm then 'URM' else 'Not URM' end, null from trainees
    union all
    select cohort_year, 'Citizenship', citizenship, 'citizenship' from trainees
),

counted as (
    select cohort_year, dimension, category, any_value(vocabulary) as vocabulary, count(*) as entrants,
    from long
    group by cohort_year, dimension, category
)

select c.cohort_year, c.dimension, c.category, c.entrants,
from counted as c
left join main.vocabulary as v on v.vocabulary = c.vocabulary and v.code = c.category
order by c.dimension, coalesce(v.sort_order, case c.category when 'URM' then 1 else 2 end), c.cohort_year
