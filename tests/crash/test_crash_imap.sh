# The crash points of the imap path (tests/crash/crash_points.sh).
exec bash "$(dirname "$0")/crash_points.sh" imap
