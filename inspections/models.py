"""Points, checklists, inspections and problems (the inspection issue fills this app)."""
