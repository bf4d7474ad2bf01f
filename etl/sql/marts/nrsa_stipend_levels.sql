-- nrsa_stipend_levels: one row per fiscal year, career level and years of experience on file (reference data).
select * from staging.nrsa_stipend_levels
order by fiscal_year, career_level, experience_years
