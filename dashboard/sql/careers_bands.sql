-- Alumni by years since completion band and current role group: one row per band (all four: 0-4, 5-9, 10-14, 15+
-- years, as trainee_facts.years_since_completion_band defines them) and each current role group the selection's
-- alumni hold (0 when a band has none of them; no rows when there are no alumni). Alumni = graduated trainees;
-- current role group as in the career_outcomes mart ('unknown' = no open position on file).
-- share = alumni / band_alumni, all alumni of that band (null for an empty band).
with bands as (
    select *
    from (values (1, '0-4', '0–4 years'), (2, '5-9', '5–9 years'), (3, '10-14', '10–14 years'), (4, '15+', '15+ years'))
        as v (band_order, band, band_label)
),

role_groups as (
    select sort_order as role_order, code as role_group, label as role_group_label,
    from main.vocabulary
    where vocabulary = 'role_group'
),

alumni as (
    select years_since_completion_band as band, current_role_group as role_group,
    from filtered_trainees
    where is_graduate
),

counted as (
    select band, role_group, count(*) as alumni,
    from alumni
    group by all
),

grid as (
    select bands.*, held.role_group,
    from bands
    cross join (select distinct role_group from alumni) as held
),

final as (
    select
        grid.band,
        grid.band_label,
        grid.role_group,
        coalesce(role_groups.role_group_label, grid.role_group) as role_group_label,
        coalesce(counted.alumni, 0) as alumni,
        sum(coalesce(counted.alumni, 0)) over (partition by grid.band)::bigint as band_alumni,
        coalesce(counted.alumni, 0) / nullif(band_alumni, 0) as share,
        grid.band_order,
        coalesce(role_groups.role_order, 99) as role_order,
    from grid
    left join counted using (band, role_group)
    left join role_groups using (role_group)
)

select * exclude (band_order, role_order)
from final
order by band_order, role_order, role_group
