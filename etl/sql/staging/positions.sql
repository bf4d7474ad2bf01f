-- staging.positions: one row per position held.
with source as (select * from raw.positions),

final as (
    select
        position_id,
        trainee_id,
        start_year,
        end_year,
        end_year is null as is_open,
        title,
        employer,
        sector,
        career_type,
        job_function,
        role_group,
    from source
)

select * from final
