-- Track shares of each program and cohort year sum to 1. Returns a row per program and cohort year that does not.
select program_id, cohort_year, sum(share) as total_share
from main.track_distribution
group by program_id, cohort_year
having abs(sum(share) - 1) > 1e-9
