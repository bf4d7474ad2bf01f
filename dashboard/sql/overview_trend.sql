-- Entrants and graduates per academic year, for the ten academic years ending with $year (none before $first_year,
-- the first cohort in the data: no records there, not zero): one row per academic year and measure. Academic year Y
-- runs from 1 July Y to 30 June Y+1 and is labelled "Y–(Y+1)". Entrants: cohort Y; graduates: graduated with an
-- end_date in the year (as on the Overview KPIs). The cohort-year range of the shared filters is not applied (the
-- page binds it to every cohort); the other shared filters are.
with periods as (
    select
        academic_year,
        make_date(academic_year, 7, 1) as year_start,
        make_date(academic_year + 1, 6, 30) as year_end,
    from range(greatest($year::integer - 9, $first_year::integer), $year::integer + 1) as years (academic_year)
),

trainees as (select * from filtered_trainees),

counted as (
    select
        p.academic_year,
        count(t.trainee_id) filter (where t.cohort_year = p.academic_year) as entrants,
        count(t.trainee_id) filter (
            where t.is_graduate and t.end_date between p.year_start and p.year_end
        ) as graduates,
    from periods as p
    left join trainees as t on true
    group by p.academic_year
),

final as (
    select
        academic_year,
        format('{}–{}', academic_year, right((academic_year + 1)::varchar, 2)) as academic_year_label,
        case measure when 'entrants' then 'Entrants' else 'Graduates' end as measure,
        trainees,
    from counted
    unpivot (trainees for measure in (entrants, graduates))
)

select * from final
order by measure, academic_year
