-- keys_changed: the keys of one table's rows added (or removed: $change) in the comparison's list, sorted.
select row_key
from changes
where table_name = $table and change = $change
order by row_key
