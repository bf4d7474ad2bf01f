-- trainee_facts: one row per trainee (enrollment), with every filter dimension and derived field; no names.
-- years_to_degree = (end_date - start_date) days / 365.25, graduates only; completion_year = year of end_date.
-- initial and current position as position_facts defines them; either is 'unknown' when there is none.
-- is_cohort_in_progress: the program's nominal length has not run out for the trainee's cohort by the as-of date
--   (as_of_date before 1 July of cohort_year + nominal_years): its completion and time to degree are not final yet.
with trainees as (select * from staging.trainees),

programs as (select * from staging.programs),

tracks as (select * from staging.tracks),

run as (select as_of_date from meta.run),

initial_positions as (select * from main.position_facts where is_initial),

current_positions as (select * from main.position_facts where is_current),

enriched as (
    select
        t.trainee_id,
        t.person_id,
        t.applicant_id,
        t.program_id,
        p.program_name,
        p.program_level,
        p.degree as program_degree,
        p.nominal_years,
        t.track_id,
        tr.track_name,
        t.cohort_year,
        t.start_date,
        t.end_date,
        t.status,
        t.status in ('active', 'on_leave') as is_active,
        t.status = 'graduated' as is_graduate,
        t.citizenship,
        t.is_nrsa_eligible,
        t.gender,
        t.is_urm,
        t.degree_awarded,
        t.status = 'withdrawn' and t.degree_awarded is not null as has_terminal_degree,
        t.prior_degrees,
        t.residency_completed,
        t.postdoc_experience_years,
        t.mentor,
        t.research_topic,
        case when t.status = 'graduated' then (t.end_date - t.start_date) / 365.25 end as years_to_degree,
        case when t.status = 'graduated' then year(t.end_date) end as completion_year,
        case
            when t.status = 'graduated' then greatest(0, date_sub('year', t.end_date, run.as_of_date))
        end as years_since_completion,
        (coalesce(t.end_date, run.as_of_date) - t.start_date) / 365.25 as years_enrolled,
        run.as_of_date < make_date(t.cohort_year + p.nominal_years, 7, 1) as is_cohort_in_progress,
        coalesce(ip.sector, 'unknown') as initial_sector,
        coalesce(ip.career_type, 'unknown') as initial_career_type,
        coalesce(ip.role_group, 'unknown') as initial_role_group,
        ip.job_function as initial_job_function,
        ip.title as initial_title,
        ip.employer as initial_employer,
        ip.start_year as initial_start_year,
        coalesce(cp.sector, 'unknown') as current_sector,
        coalesce(cp.career_type, 'unknown') as current_career_type,
        coalesce(cp.role_group, 'unknown') as current_role_group,
        cp.job_function as current_job_function,
        cp.title as current_title,
        cp.employer as current_employer,
        cp.start_year as current_start_year,
    from trainees as t
    cross join run
    left join programs as p using (program_id)
    left join tracks as tr on tr.track_id = t.track_id
    left join initial_positions as ip on ip.trainee_id = t.trainee_id
    left join current_positions as cp on cp.trainee_id = t.trainee_id
),

final as (
    select
        *,
        case
            when years_since_completion is null then null
            when years_since_completion < 5 then '0-4'
            when years_since_completion < 10 then '5-9'
            when years_since_completion < 15 then '10-14'
            else '15+'
        end as years_since_completion_band,
        is_active and years_enrolled > nominal_years as is_past_nominal_length,
    from enriched
)

select * from final
order by trainee_id
