# The crash points of the deadline path (tests/crash/crash_points.sh).
exec bash "$(dirname "$0")/crash_points.sh" deadline
