"""Practice sites, teams, volunteers, projects and service records (the volunteer issue fills this app)."""
