"""The dashboard's query and presentation layer: roles, filters, queries over the marts, privacy, charts, layout."""
