-- change_counts: one row per table with a change: rows added, rows removed, rows with a changed cell, and changed
-- cells, counted on the comparison's list.
select
    table_name as "table",
    count(*) filter (where change = 'added') as added,
    count(*) filter (where change = 'removed') as removed,
    count(distinct row_key) filter (where change = 'changed') as changed,
    count(*) filter (where change = 'changed') as cells_changed,
from changes
group by table_name
