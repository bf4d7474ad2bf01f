-- Academic-year KPIs (the Overview's, and the reports'): one row per academic year, for the $span academic years
-- ending with $year (the Overview asks for 2: the year and the one before it). Academic year Y runs from
-- 1 July Y to 30 June Y+1 (cohort Y enters in it). The cohort-year range of the shared filters is not applied here
-- (the page binds it to every cohort); the other shared filters are.
-- trainees_in_selection: every trainee the filters select, any cohort (to tell an empty selection).
-- entrants: trainees of cohort Y.
-- active_trainees: enrolled at any time in the year: start_date on or before 30 June Y+1 and no end_date or an
--   end_date on or after 1 July Y (on leave counts; so do trainees who finished or left during the year).
-- graduates: graduated with an end_date in the year.
-- (Completion rate and time to degree are not added up across programs: overview_programs.sql has them per program.)
-- alumni_academic, alumni_cio_informatics_leadership, alumni_consulting: trainees who graduated by 30 June Y+1 whose current
--   position (trainee_facts.current_role_group, as of the data) is in that role group.
-- stipend_usd: stipends of the appointments that began in the year (by start_date: sources label fiscal years
--   differently, by the year an appointment starts or ends); trainees_paid: distinct trainees with a stipend above 0.
with periods as (
    select
        academic_year,
        make_date(academic_year, 7, 1) as year_start,
        make_date(academic_year + 1, 6, 30) as year_end,
    from range($year::integer - $span::integer + 1, $year::integer + 1) as years (academic_year)
),

trainees as (select * from filtered_trainees),

appointments as (select * from filtered_appointments),

people as (
    select
        p.academic_year,
        count(t.trainee_id) as trainees_in_selection,
        count(t.trainee_id) filter (where t.cohort_year = p.academic_year) as entrants,
        count(t.trainee_id) filter (
            where t.start_date <= p.year_end and (t.end_date is null or t.end_date >= p.year_start)
        ) as active_trainees,
        count(t.trainee_id) filter (
            where t.is_graduate and t.end_date between p.year_start and p.year_end
        ) as graduates,
        count(t.trainee_id) filter (
            where t.is_graduate and t.end_date <= p.year_end and t.current_role_group = 'academic'
        ) as alumni_academic,
        count(t.trainee_id) filter (
            where t.is_graduate and t.end_date <= p.year_end and t.current_role_group = 'cio_informatics_leadership'
        ) as alumni_cio_informatics_leadership,
        count(t.trainee_id) filter (
            where t.is_graduate and t.end_date <= p.year_end and t.current_role_group = 'consulting'
        ) as alumni_consulting,
    from periods as p
    left join trainees as t on true
    group by p.academic_year
),

money as (
    select
        p.academic_year,
        coalesce(sum(a.stipend_usd), 0) as stipend_usd,
        count(distinct a.trainee_id) filter (where a.stipend_usd > 0) as trainees_paid,
    from periods as p
    left join appointments as a on a.start_date between p.year_start and p.year_end
    group by p.academic_year
),

final as (
    select
        people.*,
        money.stipend_usd,
        money.trainees_paid,
    from people
    inner join money using (academic_year)
)

select * from final
order by academic_year
