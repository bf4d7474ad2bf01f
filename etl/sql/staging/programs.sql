-- staging.programs: one row per training program.
with source as (select * from raw.programs),

final as (
    select
        program_id,
        program_name,
        school,
        degree,
        level as program_level,
        nominal_years,
    from source
)

select * from final
