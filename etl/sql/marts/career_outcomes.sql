-- career_outcomes: one row per program, track, completion year, position kind and UCOT sector / career type / role
-- group present among alumni (graduated trainees). Every alumnus counts once as 'initial' and once as 'current';
-- one without such a position counts under 'unknown'.
with alumni as (select * from main.trainee_facts where is_graduate),

positions as (
    select program_id, track_id, completion_year, 'initial' as position_kind,
        initial_sector as sector, initial_career_type as career_type, initial_role_group as role_group,
    from alumni
    union all
    select program_id, track_id, completion_year, 'current' as position_kind,
        current_sector as sector, current_career_type as career_type, current_role_group as role_group,
    from alumni
),

final as (
    select
        program_id,
        track_id,
        completion_year,
        position_kind,
        sector,
        career_type,
        role_group,
        count(*) as alumni,
    from positions
    group by all
)

select * from final
order by all
