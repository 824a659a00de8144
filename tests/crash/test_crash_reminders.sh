# The crash points of the reminders path (tests/crash/crash_points.sh).
exec bash "$(dirname "$0")/crash_points.sh" reminders
