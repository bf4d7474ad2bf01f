-- staging.milestones: one row per milestone reached by a trainee on a date (empty when the source has none).
with source as (select * from raw.milestones),

final as (
    select
        trainee_id,
        milestone,
        milestone_date,
    from source
)

select * from final
