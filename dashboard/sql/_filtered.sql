-- The shared sidebar filters applied to the fact marts; every page query starts from these three relations.
-- Parameters: $programs, $tracks ('' = no track), $citizenship, $genders (empty list = all), $year_from, $year_to
-- (cohort or cycle year), $urm (null = all), $settled (true: leave out cohorts still in progress).
with filtered_trainees as (
    select *
    from main.trainee_facts
    where (len($programs::varchar[]) = 0 or list_contains($programs::varchar[], program_id))
        and (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], coalesce(track_id, '')))
        and cohort_year between $year_from::integer and $year_to::integer
        and (len($citizenship::varchar[]) = 0 or list_contains($citizenship::varchar[], citizenship))
        and (len($genders::varchar[]) = 0 or list_contains($genders::varchar[], gender))
        and ($urm::boolean is null or is_urm = $urm::boolean)
        and not ($settled::boolean and is_cohort_in_progress)
),

filtered_applicants as (
    select *
    from main.applicant_facts
    where (len($programs::varchar[]) = 0 or list_contains($programs::varchar[], program_id))
        and (len($tracks::varchar[]) = 0 or list_contains($tracks::varchar[], coalesce(track_id, '')))
        and cycle_year between $year_from::integer and $year_to::integer
        and (len($citizenship::varchar[]) = 0 or list_contains($citizenship::varchar[], citizenship))
        and (len($genders::varchar[]) = 0 or list_contains($genders::varchar[], gender))
        and ($urm::boolean is null or is_urm = $urm::boolean)
        and not ($settled::boolean and is_cohort_in_progress)
),

filtered_appointments as (
    select *
    from main.appointment_facts
    where trainee_id in (select trainee_id from filtered_trainees)
)
