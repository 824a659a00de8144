# The crash points of the maildir path (tests/crash/crash_points.sh).
exec bash "$(dirname "$0")/crash_points.sh" maildir
