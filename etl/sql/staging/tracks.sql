-- staging.tracks: one row per track of a program.
with source as (select * from raw.tracks),

final as (
    select
        track_id,
        program_id,
        track_name,
    from source
)

select * from final
