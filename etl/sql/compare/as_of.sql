-- as_of: the date a snapshot's figures measure "now" against ($run: its meta.run, e.g. 'after_db.meta.run').
select as_of_date
from query_table($run)
