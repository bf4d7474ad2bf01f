-- Completion within 8 and 10 years of entry, by program and entering cohort (how public outcome dashboards report
-- it; each program apart): one row per program, cohort year and window, over the filtered trainees.
-- entrants: the cohort's trainees; graduated_within: graduates whose years_to_degree (elapsed, leaves included) is at
-- most the window; completion_rate = graduated_within / entrants. A cohort is shown for a window only once every
-- entrant's start_date lies at least that many years before the data's as-of date, so the figure can no longer rise.
with trainees as (select * from filtered_trainees),

run as (select as_of_date from meta.run),

windows as (select unnest([8, 10]) as window_years),

final as (
    select
        t.program_id,
        t.cohort_year,
        w.window_years,
        format('Within {} years', w.window_years) as window_label,
        count(*) as entrants,
        count(*) filter (where t.is_graduate and t.years_to_degree <= w.window_years) as graduated_within,
        count(*) filter (where t.is_graduate and t.years_to_degree <= w.window_years) / count(*) as completion_rate,
    from trainees as t
    cross join windows as w
    cross join run as r
    group by t.program_id, t.cohort_year, w.window_years
    having max(t.start_date) + to_years(w.window_years) <= any_value(r.as_of_date)
)

select * from final
order by program_id, window_years, cohort_year
