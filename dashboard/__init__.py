"""The dashboard's query and presentation layer: roles, filters, queries over the marts, charts, palette, layout."""
