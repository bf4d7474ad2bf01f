-- Trainees still enrolled past their program's nominal length: one row per program in the filtered trainees.
-- still_enrolled: status active or on leave (trainee_facts.is_active); past_nominal: of those, enrolled longer than
-- the program's nominal_years from start_date to the data's as-of date (trainee_facts.is_past_nominal_length).
with trainees as (select * from filtered_trainees),

final as (
    select
        program_id,
        any_value(nominal_years) as nominal_years,
        count(*) filter (where is_active) as still_enrolled,
        count(*) filter (where is_past_nominal_length) as past_nominal,
    from trainees
    group by program_id
)

select * from final
order by program_id
