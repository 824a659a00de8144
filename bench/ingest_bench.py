#!/usr/bin/env python3
"""Mail-in throughput (issue 5, issue 9; not a test): tacitd against its peers
on the same corpus (bench/make_corpus.py), median of RUNS runs each.

    ingest_bench.py maildir CORPUS TACITD [--runs 3]
    ingest_bench.py imap CORPUS TACITD DOVECOT_DIR [--runs 3]

--no-peers times tacitd only (to compare two builds of it).

maildir: tacitd with [maildir] on a fresh copy of CORPUS/Maildir, timed from
  start until new/ is empty and every message is in cur/ (each is moved only
  after its reply is committed, so that is "all committed"), vs `notmuch new`
  and `mu index` on their own fresh copies.
imap: the corpus is put into a private Dovecot (scripts/start-dovecot.sh,
  already started in DOVECOT_DIR) once and indexed by it once; then tacitd with
  [imap] fetches all of it, timed until imap_state.last_uid is the last UID
  (saved only after the messages are committed and flagged \\Seen), vs
  `mbsync` with FSync yes pulling INBOX into a fresh local Maildir.
Each prints lines "| MEASURE | TACIT | PEER | RATIO | TARGET |" on stdout and
details on stderr. Wall times include each program's start.
"""
import argparse
import os
import shutil
import sqlite3
import ssl
import imaplib
import statistics
import subprocess
import sys
import tempfile
import time

WORK = None


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def copy_maildir(src, dst):
    shutil.copytree(src, dst, symlinks=False)
    # Page cache equal for everyone: read every file once.
    subprocess.run(["sh", "-c", f"cat {dst}/new/* > /dev/null"], check=True)


def write_config(run, corpus, extra):
    os.makedirs(run, exist_ok=True)
    with open(os.path.join(run, "tacit.toml"), "w", encoding="utf-8") as f:
        f.write(f"""[daemon]
state_dir = "{run}/state"
status_file = "{run}/state/status.json"
report_dir = "{run}/reports"
timezone = "Asia/Ho_Chi_Minh"
units_file = "{corpus}/units.csv"
consultations_dir = "{corpus}/consultations"
{extra}
""")
    return os.path.join(run, "tacit.toml")


def count(path):
    try:
        return len(os.listdir(path))
    except FileNotFoundError:
        return 0


def run_tacitd(config, done, timeout=3600):
    """Starts tacitd, waits until done() is true, returns seconds; stops it."""
    logf = open(config + ".log", "w")
    t0 = time.monotonic()
    p = subprocess.Popen([TACITD, "--config", config], stdout=logf, stderr=subprocess.STDOUT)
    try:
        while not done():
            if p.poll() is not None:
                raise RuntimeError(f"tacitd exited with {p.returncode}; see {config}.log")
            if time.monotonic() - t0 > timeout:
                raise RuntimeError("tacitd timed out")
            time.sleep(0.05)
        return time.monotonic() - t0
    finally:
        p.terminate()
        p.wait()
        logf.close()


def replies(db):
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return c.execute("SELECT count(*) FROM replies").fetchone()[0]
    finally:
        c.close()


def timed(cmd, env=None):
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.monotonic() - t0


def median_rate(n, times):
    return n / statistics.median(times)


def row(measure, tacit, peer, peer_name, target_ratio):
    ratio = tacit / peer
    verdict = "met" if ratio >= target_ratio else "NOT met"
    print(f"| {measure} | {tacit:.0f} msg/s | {peer:.0f} msg/s ({peer_name}) | {ratio:.2f}x | "
          f"≥ {target_ratio:g}x {peer_name}: {verdict} |", flush=True)


def bench_maildir(args):
    corpus = os.path.abspath(args.corpus)
    n = count(os.path.join(corpus, "Maildir", "new"))
    results = {"tacit": [], "notmuch": [], "mu": []}
    for r in range(args.runs):
        run = tempfile.mkdtemp(prefix=f"md{r}-", dir=WORK)
        # tacit
        md = os.path.join(run, "tacit-md")
        copy_maildir(os.path.join(corpus, "Maildir"), md)
        cfg = write_config(os.path.join(run, "tacit"), corpus, f'[maildir]\npath = "{md}"\n')
        new, cur = os.path.join(md, "new"), os.path.join(md, "cur")
        t = run_tacitd(cfg, lambda: count(new) == 0 and count(cur) == n)
        got = replies(os.path.join(run, "tacit", "state", "tacit.db"))
        log(f"run {r + 1}: tacit maildir {n} messages in {t:.2f} s = {n / t:.0f} msg/s "
            f"({got} replies recorded; the rest auto-replies)")
        results["tacit"].append(t)
        shutil.rmtree(md)
        if args.no_peers:
            shutil.rmtree(run)
            continue
        # notmuch
        md = os.path.join(run, "notmuch-md")
        copy_maildir(os.path.join(corpus, "Maildir"), md)
        nmcfg = os.path.join(run, "notmuch-config")
        with open(nmcfg, "w") as f:
            f.write(f"[database]\npath={md}\n[user]\nname=bench\n"
                    "primary_email=vhxh.hungdao@example.vn\n[new]\ntags=unread;inbox\n"
                    "[maildir]\nsynchronize_flags=true\n")
        t = timed(["notmuch", "--config=" + nmcfg, "new", "--quiet"])
        log(f"run {r + 1}: notmuch new {n} messages in {t:.2f} s = {n / t:.0f} msg/s")
        results["notmuch"].append(t)
        shutil.rmtree(md)
        # mu
        md = os.path.join(run, "mu-md")
        copy_maildir(os.path.join(corpus, "Maildir"), md)
        muhome = os.path.join(run, "muhome")
        subprocess.run(["mu", "init", "--maildir=" + md, "--muhome=" + muhome], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t = timed(["mu", "index", "--muhome=" + muhome, "--quiet"])
        log(f"run {r + 1}: mu index {n} messages in {t:.2f} s = {n / t:.0f} msg/s")
        results["mu"].append(t)
        shutil.rmtree(run)
    tacit = median_rate(n, results["tacit"])
    if args.no_peers:
        print(f"| Maildir ingest, {n} msgs (median of {args.runs}) | {tacit:.0f} msg/s | – | – | – |")
        return
    row(f"Maildir ingest, {n} msgs (median of {args.runs})", tacit,
        median_rate(n, results["mu"]), "mu index", 3)
    row(f"Maildir ingest, {n} msgs (median of {args.runs})", tacit,
        median_rate(n, results["notmuch"]), "notmuch new", 3)


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.strip().partition("=")
            env[k] = v
    return env


def imap_connect(env):
    ctx = ssl.create_default_context(cafile=env["ca"])
    m = imaplib.IMAP4_SSL("127.0.0.1", int(env["imaps_port"]), ssl_context=ctx)
    m.login(env["user"], open(env["password_file"]).read().strip())
    return m


def bench_imap(args):
    corpus = os.path.abspath(args.corpus)
    dc = os.path.abspath(args.dovecot_dir)
    env = read_env(os.path.join(dc, "env"))
    src = os.path.join(corpus, "Maildir", "new")
    n = count(src)
    inbox = env["maildir"]
    # Load the corpus once: files into the user's Maildir (as a delivery agent
    # would), then one SELECT so Dovecot indexes them before anything is timed.
    if count(os.path.join(inbox, "cur")) + count(os.path.join(inbox, "new")) != n:
        for sub in ("new", "cur", "tmp"):
            shutil.rmtree(os.path.join(inbox, sub), ignore_errors=True)
            os.makedirs(os.path.join(inbox, sub))
        for name in sorted(os.listdir(src)):
            shutil.copy2(os.path.join(src, name), os.path.join(inbox, "new", name))
        subprocess.run(["chown", "-R", "nobody:nogroup", inbox], check=True)
        for f in os.listdir(inbox):
            if f.startswith("dovecot"):
                os.remove(os.path.join(inbox, f))
    m = imap_connect(env)
    typ, data = m.select("INBOX")
    assert int(data[0]) == n, f"INBOX has {data[0]} messages, not {n}"
    typ, data = m.uid("SEARCH", None, "ALL")
    last_uid = max(int(u) for u in data[0].split())
    m.logout()
    password = open(env["password_file"]).read().strip()

    def unseen_all():
        m = imap_connect(env)
        m.select("INBOX")
        m.uid("STORE", "1:*", "-FLAGS.SILENT", "(\\Seen)")
        m.logout()

    results = {"tacit": [], "mbsync": []}
    for r in range(args.runs):
        run = tempfile.mkdtemp(prefix=f"imap{r}-", dir=WORK)
        unseen_all()
        cfg = write_config(os.path.join(run, "tacit"), corpus,
                           f'[imap]\nurl = "imaps://127.0.0.1:{env["imaps_port"]}/INBOX"\n'
                           f'username = "{env["user"]}"\npassword_file = "{env["password_file"]}"\n'
                           f'ca_file = "{env["ca"]}"\n')
        db = os.path.join(run, "tacit", "state", "tacit.db")

        def done():
            if not os.path.exists(db):
                return False
            try:
                c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                try:
                    row_ = c.execute("SELECT max(last_uid) FROM imap_state").fetchone()
                finally:
                    c.close()
            except sqlite3.Error:
                return False
            return row_ is not None and row_[0] is not None and row_[0] >= last_uid

        t = run_tacitd(cfg, done)
        log(f"run {r + 1}: tacit imap {n} messages in {t:.2f} s = {n / t:.0f} msg/s "
            f"({replies(db)} replies recorded)")
        results["tacit"].append(t)
        unseen_all()
        if args.no_peers:
            shutil.rmtree(run)
            continue
        # mbsync, FSync yes: every message fsynced into the local Maildir.
        # "localhost": isync 1.4 checks the certificate's DNS names, not its
        # IP address (the test certificate has both).
        local = os.path.join(run, "mbsync-md")
        os.makedirs(local)
        rc = os.path.join(run, "mbsyncrc")
        with open(rc, "w") as f:
            f.write(f"""FSync yes
IMAPAccount bench
Host localhost
Port {env["imaps_port"]}
User {env["user"]}
Pass {password}
SSLType IMAPS
CertificateFile {env["ca"]}

IMAPStore far
Account bench

MaildirStore near
Path {local}/
Inbox {local}/INBOX

Channel bench
Far :far:
Near :near:
Patterns INBOX
Sync Pull
Create Near
SyncState *
""")
        t = timed(["mbsync", "-c", rc, "-q", "bench"])
        got = count(os.path.join(local, "INBOX", "new")) + count(os.path.join(local, "INBOX", "cur"))
        log(f"run {r + 1}: mbsync {got} messages in {t:.2f} s = {n / t:.0f} msg/s")
        if got != n:
            raise RuntimeError(f"mbsync fetched {got} of {n}")
        results["mbsync"].append(t)
        shutil.rmtree(run)
    if args.no_peers:
        print(f"| IMAP fetch, {n} msgs (median of {args.runs}) | "
              f"{median_rate(n, results['tacit']):.0f} msg/s | – | – | – |")
        return
    row(f"IMAP fetch, {n} msgs (median of {args.runs})", median_rate(n, results["tacit"]),
        median_rate(n, results["mbsync"]), "mbsync FSync yes", 1)


def main():
    global WORK, TACITD
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["maildir", "imap"])
    ap.add_argument("corpus")
    ap.add_argument("tacitd")
    ap.add_argument("dovecot_dir", nargs="?")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-peers", action="store_true",
                    help="time tacitd only (to compare two builds)")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    args = ap.parse_args()
    TACITD = os.path.abspath(args.tacitd)
    WORK = args.work or tempfile.mkdtemp(prefix="tacit-bench-")
    os.makedirs(WORK, exist_ok=True)
    if args.what == "maildir":
        bench_maildir(args)
    else:
        if not args.dovecot_dir:
            ap.error("imap needs DOVECOT_DIR")
        bench_imap(args)


if __name__ == "__main__":
    main()
