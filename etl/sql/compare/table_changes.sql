-- table_changes: what differs in one source table from the $before snapshot to the $after one, matched by the
-- table's key ($key, from etl/contract.py): one row per added or removed row (column, before and after empty) and
-- one per changed cell (its before and after as text). Rows are compared whole first, so only the rows that differ
-- are taken apart into cells. $before and $after name raw tables (e.g. 'before_db.raw.trainees'); $columns lists
-- the contract's columns in order; with $before_exists false (nothing published) every row is added. A table
-- whose key is all its columns (milestones) compares its key as its cells: its rows are only added or removed.
with before_rows as (
    select
        struct_pack(*columns(lambda c: list_contains($key, c))) as row_key,
        struct_pack(
            *columns(lambda c: list_contains($columns, c) and (not list_contains($key, c) or len($key) = len($columns)))
        ) as cells,
    from query_table($before)
    where $before_exists
),

after_rows as (
    select
        struct_pack(*columns(lambda c: list_contains($key, c))) as row_key,
        struct_pack(
            *columns(lambda c: list_contains($columns, c) and (not list_contains($key, c) or len($key) = len($columns)))
        ) as cells,
    from query_table($after)
),

rows_differing as (
    select
        coalesce(a.row_key, b.row_key) as row_key,
        case when b.row_key is null then 'added' when a.row_key is null then 'removed' else 'changed' end as change,
        b.cells as cells_before,
        a.cells as cells_after,
    from before_rows as b
    full outer join after_rows as a on a.row_key = b.row_key
    where b.cells is distinct from a.cells
),

cells_before as (
    select * from (
        select row_key, columns(lambda c: c <> 'row_key')::varchar,
        from (select row_key, unnest(cells_before) from rows_differing where change = 'changed')
    ) unpivot include nulls (value for column_name in (columns(* exclude (row_key))))
),

cells_after as (
    select * from (
        select row_key, columns(lambda c: c <> 'row_key')::varchar,
        from (select row_key, unnest(cells_after) from rows_differing where change = 'changed')
    ) unpivot include nulls (value for column_name in (columns(* exclude (row_key))))
),

cells_changed as (
    select
        b.row_key,
        'changed' as change,
        b.column_name,
        b.value as before,
        a.value as after,
    from cells_before as b
    inner join cells_after as a using (row_key, column_name)
    where b.value is distinct from a.value
),

final as (
    select row_key, change, null::varchar as column_name, null::varchar as before, null::varchar as after,
    from rows_differing
    where change <> 'changed'
    union all
    select * from cells_changed
)

select
    $position as table_position,
    $table as table_name,
    concat_ws(' · ', *columns(row_key.*)) as row_key,
    change,
    list_position($columns, column_name) as column_position,
    column_name,
    before,
    after,
from final
