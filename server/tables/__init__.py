"""Data tables: Flowlane's own records.

- `types.py`: the column types and how each converts and checks a value;
- `store.py`: tables and rows (every write goes through it, and fires the triggers);
- `columns.py`: adding, changing and removing columns, converting the values already there;
- `query.py`: filters, sort and pagination, in SQL;
- `csv_io.py`: CSV import (all or nothing) and export;
- `triggers.py`: "Table changed" registrations and the runs a change starts;
- `presets.py`: the preset "Opportunities" table;
- `service.py`: what nodes get from `ctx.service("tables")`.
"""
