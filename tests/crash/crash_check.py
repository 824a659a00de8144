#!/usr/bin/python3
"""Checks for the crash tests (tests/crash): what must hold after a crash and a
restart. Each subcommand prints what is wrong and exits 1, or exits 0 quietly.

  crash_check.py integrity DB
  crash_check.py replies DB PREFIX=N...        every token PREFIX1..PREFIXN in exactly
                                               one reply, and no reply without one
  crash_check.py drop WORK N [PREFIX]          inbox empty, each file archived once
  crash_check.py maildir WORK N [PREFIX]       new/ empty, each message in cur/ once, seen
  crash_check.py imap PORT CA MAILBOX N        every message \\Seen, none deleted
  crash_check.py reminders WORK N POINT        each reminder received, one Message-ID per
                                               (unit, slot); a second copy only for POINT
                                               mail.after_smtp_ok, and with the same ID
  crash_check.py deadline WORK SILENT...       applied once; each silent unit changed once
  crash_check.py status WORK                   status.json agrees with the database
  crash_check.py snapshot WORK                 JSON of what must not change on a restart
  crash_check.py count DB SQL                  prints the single value of SQL (read-only)
"""

import collections
import glob
import hashlib
import json
import os
import re
import sqlite3
import sys

problems = []


def problem(msg):
    problems.append(msg)


def db_open(path):
    return sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)


def rows(db, sql, *args):
    return db.execute(sql, args).fetchall()


def files_under(root):
    out = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            out.append(os.path.relpath(os.path.join(dirpath, n), root))
    return sorted(out)


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


def tokens_in(text, prefix):
    return re.findall(re.escape(prefix) + r"\d+\b", text)


def cmd_integrity(db_path):
    r = db_open(db_path).execute("PRAGMA integrity_check").fetchall()
    if r != [("ok",)]:
        problem("PRAGMA integrity_check: %r" % (r,))


def cmd_replies(db_path, *expected):
    """expected: PREFIX=N ...: tokens PREFIX1..PREFIXN, each in exactly one reply."""
    want = {}
    for e in expected:
        prefix, n = e.rsplit("=", 1)
        want[prefix] = int(n)
    db = db_open(db_path)
    seen = collections.Counter()
    for rid, text, src in rows(db, "SELECT id, text, source_ref FROM replies"):
        found = set()
        for prefix in want:
            found |= set(tokens_in(text, prefix))
        if not found:
            problem("reply %d (%s) carries no token" % (rid, src))
        for t in found:
            seen[t] += 1
    names = set()
    for prefix, n in want.items():
        for i in range(1, n + 1):
            t = "%s%d" % (prefix, i)
            names.add(t)
            if seen[t] != 1:
                problem("%s is in %d replies, expected exactly 1" % (t, seen[t]))
    extra = set(seen) - names
    if extra:
        problem("unexpected tokens: %s" % sorted(extra))


def cmd_drop(work, n, prefix="CRASH-"):
    n = int(n)
    state = os.path.join(work, "state")
    left = files_under(os.path.join(work, "inbox"))
    if left:
        problem("files left in the drop folder: %s" % left)
    archive = os.path.join(state, "archive")
    archived = [f for f in files_under(archive)]
    dups = [f for f in archived if f.startswith("duplicates/")]
    if dups:
        problem("a file was archived as a duplicate of itself: %s" % dups)
    names = collections.Counter(os.path.basename(f) for f in archived)
    tokens = collections.Counter()
    for f in archived:
        for t in set(tokens_in(read(os.path.join(archive, f)), prefix)):
            tokens[t] += 1
    for i in range(1, n + 1):
        if tokens["%s%d" % (prefix, i)] != 1:
            problem("%s%d archived %d times" % (prefix, i, tokens["%s%d" % (prefix, i)]))
    for name, k in names.items():
        if k != 1:
            problem("%s archived %d times" % (name, k))
    quarantined = files_under(os.path.join(state, "quarantine"))
    if quarantined:
        problem("quarantined: %s" % quarantined)
    db = db_open(os.path.join(state, "tacit.db"))
    for rid, src in rows(db, "SELECT id, source_ref FROM replies WHERE channel='drop'"):
        if not os.path.isfile(os.path.join(state, src)):
            problem("reply %d names %s, which is not in the archive" % (rid, src))


def split_maildir_name(name):
    if ":2," in name:
        u, flags = name.rsplit(":2,", 1)
        return u, flags
    return name, None


def cmd_maildir(work, n, prefix="CRASH-"):
    n = int(n)
    md = os.path.join(work, "Maildir")
    new = os.listdir(os.path.join(md, "new"))
    if new:
        problem("messages left in new/: %s" % new)
    cur = os.listdir(os.path.join(md, "cur"))
    uniques = collections.Counter()
    for name in cur:
        u, flags = split_maildir_name(name)
        uniques[u] += 1
        if flags is None or "S" not in flags:
            problem("cur/%s is not flagged seen" % name)
    for u, k in uniques.items():
        if k != 1:
            problem("message %s is in cur/ %d times" % (u, k))
    if len(uniques) != n:
        problem("%d messages in cur/, expected %d" % (len(uniques), n))
    tokens = collections.Counter()
    for name in cur:
        for t in set(tokens_in(read(os.path.join(md, "cur", name)), prefix)):
            tokens[t] += 1
    for i in range(1, n + 1):
        if tokens["%s%d" % (prefix, i)] != 1:
            problem("%s%d is in cur/ %d times" % (prefix, i, tokens["%s%d" % (prefix, i)]))
    db = db_open(os.path.join(work, "state", "tacit.db"))
    refs = collections.Counter(r[0] for r in rows(db, "SELECT source_ref FROM replies"))
    for u in uniques:
        if refs["maildir:" + u] != 1:
            problem("maildir:%s names %d replies" % (u, refs["maildir:" + u]))
    quarantined = files_under(os.path.join(work, "state", "quarantine"))
    if quarantined:
        problem("quarantined: %s" % quarantined)


def cmd_imap(port, ca, mailbox, n):
    import imaplib
    import ssl
    ctx = ssl.create_default_context(cafile=ca)
    m = imaplib.IMAP4_SSL("127.0.0.1", int(port), ssl_context=ctx)
    m.login("tacit", "secret-pw")
    m.select(mailbox, readonly=True)
    typ, data = m.uid("FETCH", "1:*", "(UID FLAGS)")
    flags = {}
    for d in data:
        if not d:
            continue
        uid = int(re.search(rb"UID (\d+)", d).group(1))
        flags[uid] = re.search(rb"FLAGS \(([^)]*)\)", d).group(1).decode().split()
    m.logout()
    if len(flags) != int(n):
        problem("%d messages in %s, expected %s" % (len(flags), mailbox, n))
    for uid, f in sorted(flags.items()):
        if "\\Seen" not in f:
            problem("UID %d is not \\Seen: %s" % (uid, f))
        if "\\Deleted" in f or "$TacitQuarantined" in f:
            problem("UID %d flagged %s" % (uid, f))


def received_messages(out_dir):
    import email
    import email.policy
    msgs = []
    for j in sorted(glob.glob(os.path.join(out_dir, "*.json"))):
        meta = json.load(open(j))
        with open(j[:-5] + ".eml", "rb") as f:
            m = email.message_from_bytes(f.read(), policy=email.policy.default)
        msgs.append({"to": meta["rcpt_tos"], "message_id": str(m["message-id"]).strip()})
    return msgs


def cmd_reminders(work, n, point):
    n = int(n)
    db = db_open(os.path.join(work, "state", "tacit.db"))
    outbox = rows(db, "SELECT unit_code, slot, message_id, state, recipients FROM outbox "
                      "WHERE kind='reminder'")
    if len(outbox) != n:
        problem("%d reminders in the outbox, expected %d" % (len(outbox), n))
    slots = collections.Counter((u, s) for u, s, _, _, _ in outbox)
    for key, k in slots.items():
        if k != 1:
            problem("slot %s planned %d times" % (key, k))
    ids = {}
    for unit, slot, mid, state, recipients in outbox:
        if state != "sent":
            problem("reminder to %s (%s) is %s, not sent" % (unit, slot, state))
        ids["<%s>" % mid.strip("<>")] = (unit, slot)
    got = collections.Counter()
    for m in received_messages(os.path.join(work, "received")):
        mid = "<%s>" % m["message_id"].strip("<>")
        if mid not in ids:
            problem("received a message with an unknown Message-ID %s" % mid)
            continue
        got[mid] += 1
    copies_allowed = 2 if point.split(":")[0] == "mail.after_smtp_ok" else 1
    twice = 0
    for mid, (unit, slot) in ids.items():
        if got[mid] == 0:
            problem("the reminder to %s (%s) never arrived" % (unit, slot))
        elif got[mid] > copies_allowed:
            problem("the reminder to %s (%s) arrived %d times" % (unit, slot, got[mid]))
        elif got[mid] == 2:
            twice += 1
    if twice > 1:
        problem("%d reminders arrived twice; one crash can repeat at most one" % twice)
    if twice:
        print("  (one reminder arrived twice with the same Message-ID: the crash fell "
              "between the server's 250 and MarkSent)")


def cmd_deadline(work, *silent):
    db = db_open(os.path.join(work, "state", "tacit.db"))
    (state,), = rows(db, "SELECT state FROM consultations WHERE id='k'")
    if state != "closed":
        problem("consultation k is %s after its deadline" % state)
    applied = rows(db, "SELECT count(*) FROM events WHERE kind='deadline_applied'")[0][0]
    if applied != 1:
        problem("deadline_applied %d times" % applied)
    for unit in silent:
        k = rows(db, "SELECT count(*) FROM events WHERE kind='status_changed' AND unit_code=? "
                     "AND detail LIKE 'pending ->%'", unit)[0][0]
        if k != 1:
            problem("%s changed from pending %d times" % (unit, k))
        (status,), = rows(db, "SELECT status FROM addressees WHERE unit_code=?", unit)
        if status != "deemed_consent":
            problem("%s is %s, expected deemed_consent" % (unit, status))
    for fmt in ("md", "html", "csv", "json"):
        if not os.path.isfile(os.path.join(work, "state", "reports", "k", "report." + fmt)):
            problem("final report.%s was never written" % fmt)


def cmd_status(work):
    s = json.load(open(os.path.join(work, "state", "status.json")))
    db = db_open(os.path.join(work, "state", "tacit.db"))
    want = {(c, u): st for c, u, st in rows(
        db, "SELECT consultation_id, unit_code, status FROM addressees WHERE active=1")}
    for c in s["consultations"]:
        for u in c["units"]:
            got = u.get("status")
            if want.get((c["id"], u["code"])) != got:
                problem("status.json says %s/%s is %s, the database %s"
                        % (c["id"], u["code"], got, want.get((c["id"], u["code"]))))


# Written at every start-up whatever happened before: not a change.
STARTUP_EVENT_KINDS = ()


def cmd_snapshot(work):
    state = os.path.join(work, "state")
    db = db_open(os.path.join(state, "tacit.db"))
    snap = {}
    tables = [r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type='table' "
                                     "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for t in tables:
        out = []
        for r in db.execute("SELECT * FROM %s ORDER BY rowid" % t):
            out.append([hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for v in r])
        if t == "events":
            cols = [d[0] for d in db.execute("SELECT * FROM events LIMIT 0").description]
            kind = cols.index("kind")
            out = [r for r in out if r[kind] not in STARTUP_EVENT_KINDS]
        snap["table " + t] = out
    for sub in ("inbox", "Maildir", "received", "state/archive", "state/quarantine"):
        snap["files " + sub] = files_under(os.path.join(work, sub))
    print(json.dumps(snap, indent=1, ensure_ascii=False, sort_keys=True))


def cmd_count(db_path, sql):
    print(db_open(db_path).execute(sql).fetchone()[0])


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    globals()["cmd_" + cmd](*args)
    for p in problems:
        print("  - " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
