-- Alumni by position kind (initial, current) and role group: one row per kind and role group, every role group listed
-- (0 when nobody holds it; none when the selection has no alumni). Same definitions as the career_outcomes mart:
-- alumni = graduated trainees, each counted once under the role group of the initial position and once under that of
-- the current position; 'unknown' = no such position on file. share = alumni / all alumni of the selection.
with role_groups as (
    select sort_order as role_order, code as role_group, label as role_group_label,
    from main.vocabulary
    where vocabulary = 'role_group'
),

kinds as (
    select *
    from (values (1, 'initial', 'Initial position'), (2, 'current', 'Current position'))
        as v (kind_order, position_kind, position_label)
),

alumni as (select * from filtered_trainees where is_graduate),

positions as (
    select 'initial' as position_kind, initial_role_group as role_group from alumni
    union all
    select 'current' as position_kind, current_role_group as role_group from alumni
),

counted as (
    select position_kind, role_group, count(*) as alumni,
    from positions
    group by all
),

grid as (
    select kinds.position_kind, role_groups.*,
    from kinds
    cross join role_groups
),

final as (
    select
        position_kind,
        kinds.position_label,
        role_group,
        coalesce(grid.role_group_label, role_group) as role_group_label,
        coalesce(counted.alumni, 0) as alumni,
        (select count(*) from alumni) as all_alumni,
        coalesce(counted.alumni, 0) / (select count(*) from alumni) as share,
        kinds.kind_order,
        coalesce(grid.role_order, 99) as role_order,
    from grid
    full join counted using (position_kind, role_group)
    join kinds using (position_kind)
    where exists (select 1 from alumni)
)

select * exclude (kind_order, role_order)
from final
order by kind_order, role_order, role_group
