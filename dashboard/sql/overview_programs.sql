-- Completion and time to degree per program (never blended across programs of different lengths and kinds): one
-- row per academic year of the $span years ending with $year, and per program of the filtered trainees. Academic
-- year Y runs from 1 July Y to 30 June Y+1; the cohort-year range of the shared filters is not applied (the page
-- binds every cohort); the other filters are.
-- completion_rate = completion_graduates / completion_entrants: of the entrants of cohort Y - nominal_years of their
--   program (whose nominal length had run out when year Y began), the share who had graduated by 30 June Y+1.
-- graduates: graduated with an end_date in the year; median_years_to_degree: median of their years_to_degree
--   (trainee_facts: elapsed years from start to degree, leaves included).
with periods as (
    select
        academic_year,
        make_date(academic_year, 7, 1) as year_start,
        make_date(academic_year + 1, 6, 30) as year_end,
    from range($year::integer - $span::integer + 1, $year::integer + 1) as years (academic_year)
),

trainees as (select * from filtered_trainees),

programs as (select distinct program_id, program_name, program_degree, nominal_years from trainees),

final as (
    select
        p.academic_year,
        programs.program_id,
        any_value(programs.program_name) as program_name,
        any_value(programs.program_degree) as program_degree,
        count(t.trainee_id) filter (where t.cohort_year = p.academic_year - t.nominal_years) as completion_entrants,
        count(t.trainee_id) filter (
            where t.cohort_year = p.academic_year - t.nominal_years and t.is_graduate and t.end_date <= p.year_end
        ) as completion_graduates,
        completion_graduates / nullif(completion_entrants, 0) as completion_rate,
        count(t.trainee_id) filter (
            where t.is_graduate and t.end_date between p.year_start and p.year_end
        ) as graduates,
        median(t.years_to_degree) filter (
            where t.is_graduate and t.end_date between p.year_start and p.year_end
        ) as median_years_to_degree,
    from periods as p
    cross join programs
    left join trainees as t on t.program_id = programs.program_id
    group by p.academic_year, programs.program_id
)

select * from final
order by program_id, academic_year
