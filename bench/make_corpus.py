#!/usr/bin/env python3
"""Benchmark corpus (issue 9; not a test): a Maildir of Vietnamese replies to a
generated consultation, plus the units.csv and consultation .toml they answer.

    make_corpus.py OUT [--count 10000] [--units 120] [--seed 1]

writes
    OUT/units.csv
    OUT/consultations/bench-2026.toml
    OUT/Maildir/{new,cur,tmp}/   COUNT messages in new/

The messages look like what a ward office receives: replies from the units'
addresses (most), from unknown addresses that name their unit in the subject
or the text, a few auto-replies; subjects as RFC 2047 B and Q encoded words;
bodies in UTF-8 quoted-printable, UTF-8 base64 and windows-1258 (Vietnamese
with combining tone marks, as old Outlook writes it), a third with an HTML
alternative, about a quarter with attachments (.docx and .txt with text to
extract, a few text PDFs, images that have none), and the quoted original
letter below the answer. Sizes are about 21 KB on average (printed at the end).
Everything comes from the seed, so two runs write the same bytes.
"""
import argparse
import base64
import io
import os
import quopri
import random
import sys
import unicodedata
import zipfile

CONSULTATION = "bench-2026"
REFERENCE = "15/VH-XH"
LETTER_SUBJECT = ("Xin ý kiến tham gia vào dự thảo Kế hoạch triển khai thực hiện dân chủ "
                  "ở cơ sở và công tác dân vận năm 2026")
LETTER_ID = "<letter-15-vhxh@hungdao.example.vn>"

WORDS = (
    "ủy ban nhân dân phường hưng đạo phòng văn hóa xã hội đề nghị các đơn vị tham gia ý kiến "
    "dự thảo kế hoạch triển khai thực hiện dân chủ ở cơ sở công tác dân vận năm chỉ tiêu đạt "
    "phân công nhiệm vụ cho từng bộ phận tiến độ thực hiện báo cáo kết quả tổ dân phố khu dân "
    "cư mặt trận tổ quốc hội liên hiệp phụ nữ đoàn thanh niên cựu chiến binh nông dân công đoàn "
    "trạm y tế công an ban chỉ huy quân sự trường mầm non tiểu học trung học cơ sở nhân dân "
    "cán bộ công chức viên chức người lao động tuyên truyền vận động hướng dẫn kiểm tra giám sát "
    "đánh giá sơ kết tổng kết quý tháng tuần ngày nội dung phù hợp cần bổ sung điều chỉnh làm rõ "
    "thống nhất với bố cục trình bày thời gian địa điểm kinh phí nguồn lực phối hợp chặt chẽ "
    "đảm bảo đúng quy định pháp luật hiện hành nâng cao chất lượng hiệu quả hoạt động của hệ "
    "thống chính trị cơ sở gắn với xây dựng đời sống văn hóa ở khu dân cư văn minh đô thị"
).split()

OWN_OPENINGS = [
    "Kính gửi Phòng Văn hóa – Xã hội phường Hưng Đạo,",
    "Kính gửi: Phòng Văn hóa - Xã hội,",
    "Thưa anh chị,",
]
STANCES = [
    "{unit} nhất trí với nội dung dự thảo, không có ý kiến khác.",
    "{unit} đồng ý với dự thảo Kế hoạch.",
    "Qua nghiên cứu, {unit} cơ bản thống nhất với dự thảo, đề nghị bổ sung như sau:",
    "{unit} có ý kiến góp ý như sau:",
    "{unit} không có ý kiến bổ sung.",
]
SIGNATURES = ["Trân trọng.", "Trân trọng cảm ơn!", "Kính chúc sức khỏe."]

GIVEN = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Đức Em",
         "Vũ Thị Giang", "Đặng Quốc Huy", "Bùi Thị Lan", "Đỗ Minh Khôi", "Ngô Thị Mai"]


def sentence(rng, n_min=8, n_max=22):
    words = [rng.choice(WORDS) for _ in range(rng.randint(n_min, n_max))]
    s = " ".join(words)
    return s[0].upper() + s[1:] + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng) for _ in range(sentences))


def units(count):
    out = []
    for i in range(1, count + 1):
        code = f"tdp-{i:03d}"
        name = f"Tổ dân phố số {i}"
        out.append((code, name, "Tổ dân phố", f"tdp{i:03d}.hungdao@example.vn",
                    f"TDP {i};Tổ {i}"))
    return out


def encoded_word(text, mode):
    """RFC 2047 encoded words of at most 75 characters, split on characters."""
    words, chunk = [], ""
    limit = 45 if mode == "B" else 25  # characters of text per word, roughly
    for ch in text:
        chunk += ch
        if len(chunk) >= limit:
            words.append(chunk)
            chunk = ""
    if chunk:
        words.append(chunk)
    out = []
    for w in words:
        raw = w.encode("utf-8")
        if mode == "B":
            out.append("=?UTF-8?B?" + base64.b64encode(raw).decode() + "?=")
        else:
            q = "".join(chr(b) if (chr(b).isalnum() and b < 128) else
                        ("_" if b == 32 else f"={b:02X}") for b in raw)
            out.append("=?UTF-8?Q?" + q + "?=")
    return "\r\n ".join(out)


def cp1258(text):
    """Vietnamese in windows-1258: base letters precomposed where the code page
    has them, tone marks as combining characters (what Windows writes)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        for k in range(len(d), 0, -1):
            head = unicodedata.normalize("NFC", d[:k])
            try:
                out += head.encode("cp1258") + d[k:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += b"?"
    return bytes(out)


def b64_lines(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def qp(data):
    return quopri.encodestring(data).decode("ascii").replace("\n", "\r\n")


def docx(text):
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"
                   for p in text.split("\n"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
                   'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   f"<w:body>{body}</w:body></w:document>")
    return buf.getvalue()


def pdf(lines):
    """A one-page PDF with an ASCII text layer (Helvetica has no Vietnamese)."""
    content = "BT /F1 11 Tf 72 760 Td 14 TL " + " ".join(
        "(" + l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for l in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R"
        " >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def text_part(rng, text):
    """A text/plain part in one of the encodings seen in real mail."""
    kind = rng.random()
    if kind < 0.45:
        return ("Content-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(text.encode("utf-8")))
    if kind < 0.75:
        return ("Content-Type: text/plain; charset=\"utf-8\"\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n" + b64_lines(text.encode("utf-8")))
    return ("Content-Type: text/plain; charset=windows-1258\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(cp1258(text)))


def html_part(text):
    paras = "".join(f"<p>{p}</p>\r\n" for p in text.split("\n\n"))
    html = f"<html><body><div style=\"font-family:Arial\">{paras}</div></body></html>"
    return ("Content-Type: text/html; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + b64_lines(html.encode("utf-8")))


def message(rng, i, unit_list, when):
    code, name, _, email, _ = rng.choice(unit_list)
    r = rng.random()
    sender_name, sender = name, email
    unit_in_subject = False
    if r < 0.06:  # an unknown address that names its unit in the subject
        person = rng.choice(GIVEN)
        sender_name, sender = person, f"user{rng.randint(1, 99999)}@gmail.example.com"
        unit_in_subject = True
    auto = r > 0.985
    subject = f"Re: V/v {LETTER_SUBJECT} (Số {REFERENCE})"
    if unit_in_subject:
        subject = f"Re: [{name}] góp ý dự thảo kế hoạch số {REFERENCE}"
    if auto:
        subject = f"Trả lời tự động: {LETTER_SUBJECT}"
    mode = "B" if rng.random() < 0.5 else "Q"
    own = [rng.choice(OWN_OPENINGS),
           rng.choice(STANCES).format(unit=name)]
    for _ in range(rng.randint(2, 9)):
        own.append(paragraph(rng, rng.randint(3, 7)))
    own.append(rng.choice(SIGNATURES))
    own.append(f"{rng.choice(GIVEN)}\n{name}")
    quoted = "\n".join("> " + l for l in
                       [f"Vào {when.strftime('%d/%m/%Y')}, Phòng VH-XH đã viết:", LETTER_SUBJECT]
                       + [paragraph(rng, 4) for _ in range(rng.randint(6, 24))])
    body = "\n\n".join(own) + "\n\n" + quoted + "\n"

    headers = [
        f"Return-Path: <{sender}>",
        f"Delivered-To: vhxh.hungdao@example.vn",
        f"Received: from mail.example.vn (mail.example.vn [192.0.2.{i % 250 + 1}])\r\n"
        f"\tby mx.hungdao.example.vn with ESMTPS id {i:08x}; "
        f"{when.strftime('%a, %d %b %Y %H:%M:%S')} +0700",
        f"From: {encoded_word(sender_name, 'B')} <{sender}>",
        "To: =?UTF-8?Q?Ph=C3=B2ng_V=C4=83n_h=C3=B3a_=E2=80=93_X=C3=A3_h=E1=BB=99i?= "
        "<vhxh.hungdao@example.vn>",
        f"Subject: {encoded_word(subject, mode)}",
        f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S')} +0700",
        f"Message-ID: <bench-{i:06d}.{rng.randint(0, 1 << 30):x}@{sender.split('@')[1]}>",
        f"In-Reply-To: {LETTER_ID}",
        f"References: {LETTER_ID}",
        "MIME-Version: 1.0",
    ]
    if auto:
        headers.append("Auto-Submitted: auto-replied")

    plain = text_part(rng, body)
    content = plain
    ctype = None
    if rng.random() < 0.33:
        b = f"alt-{i:06d}"
        content = (f"--{b}\r\n{plain}\r\n--{b}\r\n{html_part(body)}\r\n--{b}--\r\n")
        ctype = f"multipart/alternative; boundary=\"{b}\""
    attachments = []
    ra = rng.random()
    if ra < 0.10:
        text = "\n".join([f"{name}", rng.choice(STANCES).format(unit=name)] +
                         [paragraph(rng, 4) for _ in range(rng.randint(2, 6))])
        attachments.append((f"Góp ý {name}.docx",
                            "application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document", docx(text)))
    elif ra < 0.16:
        text = "\n".join([name] + [paragraph(rng, 3) for _ in range(3)])
        attachments.append(("gop-y.txt", "text/plain; charset=utf-8", text.encode("utf-8")))
    elif ra < 0.19:
        attachments.append(("Cong van tra loi.pdf", "application/pdf",
                            pdf([f"To dan pho so {code[4:]}", "Y kien: dong y voi du thao."])))
    elif ra < 0.27:
        attachments.append((f"IMG_{rng.randint(1000, 9999)}.jpg", "image/jpeg",
                            b"\xff\xd8\xff\xe0" + rng.randbytes(rng.randint(15000, 45000))))
    if attachments:
        b = f"mixed-{i:06d}"
        inner_type = ctype or None
        first = (f"Content-Type: {inner_type}\r\n\r\n{content}" if inner_type else content)
        parts = [first]
        for fname, atype, data in attachments:
            parts.append(f"Content-Type: {atype}; name=\"{encoded_word(fname, 'B')}\"\r\n"
                         f"Content-Disposition: attachment; filename*=UTF-8''" +
                         "".join(c if c.isascii() and c.isalnum() or c in ".-_" else
                                 "".join(f"%{x:02X}" for x in c.encode("utf-8"))
                                 for c in fname) +
                         "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64_lines(data))
        content = "".join(f"--{b}\r\n{p}\r\n" for p in parts) + f"--{b}--\r\n"
        ctype = f"multipart/mixed; boundary=\"{b}\""
    if ctype:
        msg = "\r\n".join(headers) + f"\r\nContent-Type: {ctype}\r\n\r\n" + content
    else:
        msg = "\r\n".join(headers) + "\r\n" + content
    # Maildir files use bare LF line ends (what delivery agents write).
    return msg.replace("\r\n", "\n").encode("ascii")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--units", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    import datetime
    out = args.out
    md = os.path.join(out, "Maildir")
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(md, sub), exist_ok=True)
    os.makedirs(os.path.join(out, "consultations"), exist_ok=True)
    unit_list = units(args.units)
    with open(os.path.join(out, "units.csv"), "w", encoding="utf-8") as f:
        f.write("code,name,group,emails,aliases\n")
        for u in unit_list:
            f.write(",".join(u) + "\n")
    with open(os.path.join(out, "consultations", CONSULTATION + ".toml"), "w",
              encoding="utf-8") as f:
        f.write(f'id = "{CONSULTATION}"\nreference = "{REFERENCE}"\n'
                f'subject = "{LETTER_SUBJECT}"\nissuer = "Phòng Văn hóa – Xã hội"\n'
                'signer = "Nguyễn Chí Linh"\ndeadline = "31/12/2099"\n'
                'silence_means = "consent"\naddressees = ["*"]\n'
                'topics = ["Chỉ tiêu đạt 100% trong năm 2026", "Phân công nhiệm vụ", '
                '"Tiến độ thực hiện"]\n')
    start = datetime.datetime(2026, 1, 20, 8, 0, 0)
    total = 0
    for i in range(args.count):
        when = start + datetime.timedelta(seconds=37 * i)
        data = message(rng, i, unit_list, when)
        total += len(data)
        stamp = int(when.timestamp())
        name = f"{stamp}.M{i:06d}P4242.bench,S={len(data)}"
        path = os.path.join(md, "new", name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (stamp, stamp))
    print(f"{args.count} messages, {total / max(args.count, 1) / 1024:.1f} KB on average, "
          f"{total / 1e6:.0f} MB in {md}/new", file=sys.stderr)


if __name__ == "__main__":
    main()
