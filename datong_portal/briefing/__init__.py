"""The monthly briefing (月度工作简报): a numbered PDF compiled by the calendar from the past month's records."""
