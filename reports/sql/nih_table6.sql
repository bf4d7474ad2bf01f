-- nih_table6: NIH Table 6 (applicants and entrants), predoctoral programs as 6A and postdoctoral as 6B: one row per
-- program and cycle year for the $years cycle years through $through (zeros where a program had no applicants),
-- then one mean row per program ('Five-year mean' for five years: the mean over those years, zero years included).
-- total_applicant_pool = applicants; applicants_eligible = applicants eligible for NRSA support (US citizens,
-- non-citizen nationals, permanent residents); new_entrants = applicants who matriculated; new_entrants_eligible =
-- matriculated and eligible (cohort_funnel); new_appointees = trainees of the program whose first appointment to the
-- training grant (nlm_t15) began in that academic year (1 July Y to 30 June Y+1).
with programs as (
    select distinct program_id, program_name, program_level
    from main.applicant_facts
    where program_level in ('predoctoral', 'postdoctoral')
),

appointees as (
    select
        t.program_id,
        year(g.first_start) - (month(g.first_start) < 7)::integer as cycle_year,
        count(*) as new_appointees,
    from (
        select trainee_id, min(start_date) as first_start
        from main.appointment_facts
        where funding_source = 'nlm_t15'
        group by trainee_id
    ) as g
    inner join main.trainee_facts as t using (trainee_id)
    group by all
),

years as (
    select unnest(range($through::integer - $years::integer + 1, $through::integer + 1)) as cycle_year
),

per_year as (
    select
        case p.program_level when 'predoctoral' then '6A' else '6B' end as nih_table,
        p.program_id,
        p.program_name,
        y.cycle_year,
        coalesce(f.applicants, 0) as total_applicant_pool,
        coalesce(f.eligible_applicants, 0) as applicants_eligible,
        coalesce(f.matriculated, 0) as new_entrants,
        coalesce(f.eligible_matriculated, 0) as new_entrants_eligible,
        coalesce(a.new_appointees, 0) as new_appointees,
    from programs as p
    cross join years as y
    left join main.cohort_funnel as f on f.program_id = p.program_id and f.cycle_year = y.cycle_year
    left join appointees as a on a.program_id = p.program_id and a.cycle_year = y.cycle_year
),

means as (
    select
        nih_table,
        program_id,
        program_name,
        null::bigint as cycle_year,
        avg(total_applicant_pool) as total_applicant_pool,
        avg(applicants_eligible) as applicants_eligible,
        avg(new_entrants) as new_entrants,
        avg(new_entrants_eligible) as new_entrants_eligible,
        avg(new_appointees) as new_appointees,
    from per_year
    group by nih_table, program_id, program_name
)

select *, cast(cycle_year as varchar) as year_label, 0 as is_mean from per_year
union all
select
    *,
    case when $years::integer = 5 then 'Five-year mean' else $years::integer || '-year mean' end as year_label,
    1 as is_mean,
from means
order by nih_table, program_name, is_mean, cycle_year
