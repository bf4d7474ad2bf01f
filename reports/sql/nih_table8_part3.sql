-- nih_table8_part3: NIH Table 8 Part III figures, predoctoral programs as 8A and postdoctoral as 8B: one row per
-- program, over the trainees supported by the training grant (any nlm_t15 appointment) who entered in the ten
-- academic years through $through (cohort_year $through - 9 .. $through).
-- supported_entrants: those trainees; completed: of them, graduated; in_training: active or on leave; left: withdrawn
-- or transferred (a terminal master's on withdrawal counts as left). percent_completed = completed / supported_entrants
-- (a share 0-1). mean_years_to_degree: mean of trainee_facts.years_to_degree (elapsed years from start to degree,
-- leaves included) of those who completed.
with supported as (
    select distinct trainee_id
    from main.appointment_facts
    where funding_source = 'nlm_t15'
),

entrants as (
    select
        t.*,
        case t.program_level when 'predoctoral' then '8A' else '8B' end as nih_table,
    from main.trainee_facts as t
    inner join supported using (trainee_id)
    where t.program_level in ('predoctoral', 'postdoctoral')
        and t.cohort_year between $through::integer - 9 and $through::integer
)

select
    nih_table,
    program_id,
    program_name,
    count(*) as supported_entrants,
    count(*) filter (where is_graduate) as completed,
    count(*) filter (where status in ('active', 'on_leave')) as in_training,
    count(*) filter (where status in ('withdrawn', 'transferred')) as left_program,
    count(*) filter (where is_graduate) / count(*) as percent_completed,
    avg(years_to_degree) filter (where is_graduate) as mean_years_to_degree,
from entrants
group by nih_table, program_id, program_name
order by nih_table, program_name
