"""Year files (YAML) of State Council holiday notices; see gongkai/law/calendar.py."""
