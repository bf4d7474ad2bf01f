-- changes: the comparison's list in reading order: tables in contract order, then changed cells, added rows and
-- removed rows, by key and by column in contract order; $shown rows at most (null: every row).
select
    table_name as "table",
    row_key as "key",
    change,
    column_name as "column",
    before,
    after,
from changes
order by
    table_position,
    case change when 'changed' then 1 when 'added' then 2 else 3 end,
    row_key,
    column_position
limit $shown
