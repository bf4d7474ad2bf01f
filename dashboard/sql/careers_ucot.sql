-- Alumni by UCOT tier (sector, career type, job function), position kind (initial, current) and category: one row
-- per tier, category present among the selection's alumni and kind (0 when a kind has none). Same definitions as the
-- career_outcomes mart: alumni = graduated trainees, each counted once under the initial and once under the current
-- position; 'Unknown' = no such position on file, a sector or career type recorded as unknown, or no job function.
-- share = alumni / all alumni of the selection.
with kinds as (
    select *
    from (values (1, 'initial', 'Initial position'), (2, 'current', 'Current position'))
        as v (kind_order, position_kind, position_label)
),

alumni as (select * from filtered_trainees where is_graduate),

positions as (
    select
        'initial' as position_kind,
        initial_sector as sector,
        initial_career_type as career_type,
        initial_job_function as job_function,
    from alumni
    union all
    select
        'current' as position_kind,
        current_sector as sector,
        current_career_type as career_type,
        current_job_function as job_function,
    from alumni
),

labelled as (
    select
        position_kind,
        1 as tier_order,
        'Sector' as tier,
        case sector
            when 'academia' then 'Academia'
            when 'government' then 'Government'
            when 'for_profit' then 'For-profit'
            when 'nonprofit' then 'Nonprofit'
            when 'other' then 'Other'
            when 'unknown' then 'Unknown'
            else sector
        end as category,
    from positions
    union all
    select
        position_kind,
        2 as tier_order,
        'Career type' as tier,
        case career_type
            when 'further_training' then 'Further training or education'
            when 'primarily_research' then 'Primarily research'
            when 'primarily_teaching' then 'Primarily teaching'
            when 'science_related' then 'Science-related'
            when 'not_related_to_science' then 'Not related to science'
            when 'unknown' then 'Unknown'
            else career_type
        end as category,
    from positions
    union all
    select
        position_kind,
        3 as tier_order,
        'Job function' as tier,
        coalesce(upper(job_function[1]) || job_function[2:], 'Unknown') as category,
    from positions
),

counted as (
    select tier_order, tier, category, position_kind, count(*) as alumni,
    from labelled
    group by all
),

grid as (
    select categories.*, kinds.*,
    from (select distinct tier_order, tier, category from counted) as categories
    cross join kinds
),

final as (
    select
        grid.tier,
        grid.category,
        grid.position_kind,
        grid.position_label,
        coalesce(counted.alumni, 0) as alumni,
        (select count(*) from alumni) as all_alumni,
        coalesce(counted.alumni, 0) / (select count(*) from alumni) as share,
        grid.tier_order,
        grid.kind_order,
    from grid
    left join counted using (tier_order, tier, category, position_kind)
)

select * exclude (tier_order, kind_order)
from final
order by tier_order, kind_order, category = 'Unknown', category
