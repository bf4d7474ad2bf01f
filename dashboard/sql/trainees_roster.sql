-- The roster, for administrators only: one row per filtered trainee, with the name and e-mail (trainee_directory);
-- dates as ISO text for display.
-- Drill-down parameters narrow it to the trainees behind a figure (null = not used): $cohort; $status ('active' =
-- active or on leave); $completion_year; $position_kind ('initial' | 'current') with $role_group = alumni (graduates)
-- whose initial or current role group it is, as career_outcomes counts them; $fiscal_year and/or $funding_source =
-- trainees with such an appointment; $finding 'nrsa_ineligible' = trainees with an NRSA-eligibility finding;
-- $past_nominal = still active past the program's nominal length. $search ('' = all): a case-insensitive substring
-- of the name, e-mail, trainee id, mentor or research topic, taken literally. $limit rows from $offset (a page of
-- the roster; null limit = all), each row carrying how many trainees match in all (matching).
with roster as (
    select
        t.*,
        d.given_name || ' ' || d.family_name as trainee_name,
        d.family_name,
        d.given_name,
        d.email,
    from filtered_trainees as t
    inner join main.trainee_directory as d using (trainee_id)
),

appointed as (
    select distinct trainee_id
    from filtered_appointments
    where ($fiscal_year::integer is null or fiscal_year = $fiscal_year::integer)
        and ($funding_source::varchar is null or funding_source = $funding_source::varchar)
),

findings as (
    select distinct trainee_id
    from filtered_appointments
    where is_eligibility_finding
)

select
    trainee_id,
    trainee_name,
    email,
    program_name,
    coalesce(track_name, 'No track') as track_name,
    cohort_year,
    status,
    start_date,
    end_date,
    start_date::varchar || ' to ' || coalesce(end_date::varchar, 'now') as enrolled,
    citizenship,
    mentor,
    research_topic,
    count(*) over () as matching,
from roster
where ($cohort::integer is null or cohort_year = $cohort::integer)
    and ($status::varchar is null or (
        case when $status::varchar = 'active' then is_active else status = $status::varchar end))
    and ($completion_year::integer is null or completion_year = $completion_year::integer)
    and ($role_group::varchar is null or (is_graduate and $role_group::varchar = (
        case when $position_kind::varchar = 'initial' then initial_role_group else current_role_group end)))
    and (($fiscal_year::integer is null and $funding_source::varchar is null)
        or trainee_id in (select trainee_id from appointed))
    and ($finding::varchar is null or trainee_id in (select trainee_id from findings))
    and (not $past_nominal::boolean or is_past_nominal_length)
    and ($search::varchar = '' or contains(
        lower(concat_ws(chr(10), trainee_id, trainee_name, email, mentor, research_topic)),
        lower($search::varchar)))
order by family_name, given_name, trainee_id
limit $limit::bigint offset $offset::bigint
