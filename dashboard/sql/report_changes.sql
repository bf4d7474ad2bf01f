-- Changes from academic year $year - 1 to $year, for the reports' sentences: one row per subject and measure with
-- both years' counts. Measures, as on the Overview: entrants (trainees of cohort Y), graduates (graduated with an
-- end_date from 1 July Y to 30 June Y+1) and applicants (applications for cycle year Y). Subjects: each program, and
-- for entrants each track of a program. A subject with no one in either year is left out. The cohort-year range of the
-- shared filters is not applied (the reports bind it to every cohort); the other shared filters are.
-- is_notable: the count changed by at least $min_people people and by at least $min_share of the earlier count
-- (from zero, any change of at least $min_people).
with counted as (
    select 'entrants' as measure, 1 as measure_order, program_name, null as track_name, cohort_year as academic_year,
        count(*) as people,
    from filtered_trainees
    where cohort_year in ($year::integer - 1, $year::integer)
    group by all
    union all
    select 'entrants', 2, program_name, track_name, cohort_year, count(*),
    from filtered_trainees
    where cohort_year in ($year::integer - 1, $year::integer) and track_id is not null
    group by all
    union all
    select 'graduates', 3, program_name, null, year(end_date) - (month(end_date) < 7)::integer, count(*),
    from filtered_trainees
    where is_graduate and end_date between make_date($year::integer - 1, 7, 1) and make_date($year::integer + 1, 6, 30)
    group by all
    union all
    select 'applicants', 4, program_name, null, cycle_year, count(*),
    from filtered_applicants
    where cycle_year in ($year::integer - 1, $year::integer)
    group by all
),

paired as (
    select
        measure,
        measure_order,
        program_name,
        track_name,
        coalesce(sum(people) filter (where academic_year = $year::integer - 1), 0)::integer as before,
        coalesce(sum(people) filter (where academic_year = $year::integer), 0)::integer as now,
    from counted
    group by measure, measure_order, program_name, track_name
)

select
    *,
    now - before as change,
    abs(now - before) >= $min_people::integer
    and (before = 0 or abs(now - before) >= $min_share::double * before) as is_notable,
from paired
order by is_notable desc, abs(now - before) desc, measure_order, program_name, track_name
