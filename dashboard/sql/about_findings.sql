-- about_findings: one row per warning recorded when the published snapshot was loaded (meta.findings; a snapshot
-- with errors is never published). Findings name trainees by trainee_id only: the value is left out for the columns
-- that hold names, e-mail addresses or free text (education records).
select
    rule,
    table_name,
    file,
    "row" as source_row,
    column_name,
    case
        when column_name in ('given_name', 'family_name', 'email', 'mentor', 'research_topic') then null
        else value
    end as value,
    message,
    hint,
from meta.findings
where severity = 'warning'
order by file, source_row, rule
