-- row_count: the rows of one table ($table, e.g. 'after_db.raw.trainees'); none when $exists is false.
select count(*) as row_count
from query_table($table)
where $exists
