-- trainee_directory: one row per trainee with the names and e-mail (education records: administrators only).
with trainees as (select * from staging.trainees),

final as (
    select
        trainee_id,
        person_id,
        given_name,
        family_name,
        email,
    from trainees
)

select * from final
order by trainee_id
