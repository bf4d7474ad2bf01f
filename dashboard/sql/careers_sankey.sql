-- Alumni flows for a Sankey diagram: one row per link. Stage 1 links each track (a program without a track reads
-- "<program> (no track)") to the role group of the initial position, stage 2 that to the role group of the current
-- position; alumni = graduated trainees on the link. Same definitions as the career_outcomes mart ('Unknown' = no
-- such position on file). Node labels name the position kind, so initial and current role groups are apart.
with role_groups as (
    select code as role_group, label as role_group_label,
    from main.vocabulary
    where vocabulary = 'role_group'
),

alumni as (
    select
        coalesce(a.track_name, a.program_name || ' (no track)') as track,
        'Initial: ' || coalesce(i.role_group_label, a.initial_role_group) as initial_role,
        'Current: ' || coalesce(c.role_group_label, a.current_role_group) as current_role,
    from filtered_trainees as a
    left join role_groups as i on i.role_group = a.initial_role_group
    left join role_groups as c on c.role_group = a.current_role_group
    where a.is_graduate
),

links as (
    select 1 as stage, 'Track to initial position' as link, track as source, initial_role as target, count(*) as alumni,
    from alumni
    group by all
    union all
    select 2 as stage, 'Initial to current position' as link, initial_role as source, current_role as target,
        count(*) as alumni,
    from alumni
    group by all
)

select * from links
order by stage, source, target
