#!/usr/bin/env python3
"""Writes the .eml fixtures of tests/unit/mail/mime_table_test.cc.

Each message is written byte by byte the way its client writes it (header
order, X-Mailer / User-Agent, boundary style, transfer encodings, quoting
habits). The .eml files are committed; this script only documents how they
were made and lets them be regenerated:

    python3 tests/data/mime/make_fixtures.py

The expectations live in the C++ table, not here. Uses only the standard
library (the .docx and .pdf attachments are built by hand, a few hundred
bytes each). Output is deterministic.
"""

import base64
import io
import os
import quopri
import subprocess
import unicodedata
import urllib.parse
import zipfile

OUT = os.path.dirname(os.path.abspath(__file__))

LETTER_ID = "letter-2026-015@phuong.example.vn"
OFFICE = "vhxh@phuong.example.vn"
OFFICE_NAME = "Phòng Văn hóa - Xã hội"
LETTER_SUBJECT = "Xin ý kiến dự thảo Kế hoạch 15/KH-VHXH"
# What the letter says: every reply below quotes some of it, and none of it
# may count as the unit's own words.
LETTER_LINES = [
    "Kính gửi: Ủy ban nhân dân phường, Công an phường, các Tổ dân phố",
    "Đề nghị các đơn vị góp ý trước ngày 20/02/2026.",
    "Quá thời hạn trên, đơn vị không có ý kiến được hiểu là đồng ý.",
]


def nfd(s):
    return unicodedata.normalize("NFD", s)


def b64(data, width=76):
    if isinstance(data, str):
        data = data.encode("utf-8")
    enc = base64.b64encode(data).decode("ascii")
    return "\n".join(enc[i:i + width] for i in range(0, len(enc), width)) + "\n"


def qp(text, charset="utf-8"):
    data = text.encode(charset) if isinstance(text, str) else text
    return quopri.encodestring(data).decode("ascii")


def encode(text, charset):
    if charset.lower() == "windows-1258":
        return win1258(text)
    if charset.lower() == "viscii":  # Python has no VISCII codec; glibc iconv has
        return subprocess.run(["iconv", "-f", "UTF-8", "-t", "VISCII"], input=text.encode(),
                              check=True, capture_output=True).stdout
    return text.encode(charset)


def ew_b(text, charset="utf-8", chunk=None):
    """RFC 2047 B words. `chunk` splits the *bytes* every n bytes, ignoring
    character boundaries, as Outlook does."""
    data = encode(text, charset)
    if chunk is None:
        return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())
    words = [data[i:i + chunk] for i in range(0, len(data), chunk)]
    return "\n ".join("=?%s?B?%s?=" % (charset, base64.b64encode(w).decode()) for w in words)


def ew_q(text, charset="utf-8", upper=True):
    out = []
    for byte in encode(text, charset):
        c = chr(byte)
        if c == " ":
            out.append("_")
        elif c.isalnum() and byte < 0x80:
            out.append(c)
        else:
            out.append("=%02X" % byte)
    return "=?%s?Q?%s?=" % (charset.upper() if upper else charset, "".join(out))


def pct(text, charset="utf-8"):
    return urllib.parse.quote(text.encode(charset), safe="")


def quoted(lines, prefix="> "):
    return "".join(prefix + line + "\n" for line in lines)


def make_docx(paragraphs):
    """A minimal Word document: content types, package rels, document.xml."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join("<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>" % p
                   for p in paragraphs)
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (w, body))
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
             '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
             'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
             '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", types), ("_rels/.rels", rels),
                           ("word/document.xml", doc)):
            info = zipfile.ZipInfo(name, date_time=(2026, 2, 10, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return buf.getvalue()


def make_pdf(text):
    """One page, Helvetica, ASCII text, correct xref."""
    content = "BT /F1 14 Tf 72 720 Td (%s) Tj ET" % text
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R"
        " >> >> /Contents 4 0 R >>",
        "<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = "%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects):
        offsets.append(len(pdf))
        pdf += "%d 0 obj\n%s\nendobj\n" % (i + 1, obj)
    xref = len(pdf)
    pdf += "xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        pdf += "%010d 00000 n \n" % off
    pdf += "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                             xref)
    return pdf.encode("latin-1")


PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

FILES = {}


def write(name, text, crlf=False):
    """`text` is str (encoded as UTF-8: only 8-bit fixtures use non-ASCII) or bytes."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if crlf:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert name not in FILES, name
    FILES[name] = data


def html_of(lines):
    return "".join("<div>%s</div>" % l for l in lines)


# ---------------------------------------------------------------------------
# Outlook (desktop, 365, Express)
# ---------------------------------------------------------------------------

def outlook_head(msgid, subject_field, from_field, extra="", date="Wed, 11 Feb 2026 09:12:44 +0700",
                 thread_index="AQHcmTz4qW3f5m0nS0y7o1nI2q8p6Q==", mailer="Microsoft Outlook 16.0"):
    return ("From: %s\n"
            "To: \"%s\" <%s>\n"
            "References: <%s>\n"
            "In-Reply-To: <%s>\n"
            "Subject: %s\n"
            "Date: %s\n"
            "Message-ID: <%s>\n"
            "MIME-Version: 1.0\n"
            "X-Mailer: %s\n"
            "Thread-Index: %s\n"
            "Content-Language: vi\n"
            "%s" % (from_field, ew_b(OFFICE_NAME), OFFICE, LETTER_ID, LETTER_ID, subject_field,
                    date, msgid, mailer, thread_index, extra))


def outlook_alt(boundary, plain, html, plain_cte="quoted-printable"):
    body_plain = qp(plain) if plain_cte == "quoted-printable" else b64(plain)
    return ("Content-Type: multipart/alternative;\n\tboundary=\"%s\"\n\n"
            "This is a multi-part message in MIME format.\n\n"
            "--%s\nContent-Type: text/plain;\n\tcharset=\"utf-8\"\n"
            "Content-Transfer-Encoding: %s\n\n%s\n"
            "--%s\nContent-Type: text/html;\n\tcharset=\"utf-8\"\n"
            "Content-Transfer-Encoding: quoted-printable\n\n%s\n"
            "--%s--\n" % (boundary, boundary, plain_cte, body_plain, boundary, qp(html), boundary))


OUTLOOK_HEADER_BLOCK_EN = (
    "From: %s <%s>\nSent: Tuesday, February 10, 2026 8:00 AM\nTo: ubnd@phuong.example.vn; "
    "congan@phuong.example.vn\nSubject: %s\n\n" % (OFFICE_NAME, OFFICE, LETTER_SUBJECT))
OUTLOOK_HEADER_BLOCK_VI = (
    "Từ: %s <%s>\nĐã gửi: Thứ Ba, 10 tháng 2, 2026 8:00 SA\nĐến: ubnd@phuong.example.vn\n"
    "Chủ đề: %s\n\n" % (OFFICE_NAME, OFFICE, LETTER_SUBJECT))


def outlook():
    # 1. Outlook 2016: subject split inside a UTF-8 character across B words.
    subj = "RE: " + LETTER_SUBJECT
    plain = ("Kính gửi Phòng Văn hóa - Xã hội,\n\nCông an phường nhất trí với dự thảo kế hoạch.\n\n"
             "Trân trọng,\nĐại úy Nguyễn Văn Bình\n\n" + OUTLOOK_HEADER_BLOCK_EN +
             "\n".join(LETTER_LINES) + "\n")
    html = "<html><body><p>Công an phường nhất trí với dự thảo kế hoạch.</p></body></html>"
    write("01-outlook2016-reply-split-utf8.eml",
          outlook_head("003a01dc9b3c$5a7e2f40$0f7a8dc0$@congan.example.vn", ew_b(subj, chunk=13),
                       ew_b("Nguyễn Văn Bình", chunk=7) + " <binh.nv@congan.example.vn>") +
          outlook_alt("----=_NextPart_000_003B_01DC9B76.07DC6A40", plain, html), crlf=True)

    # 2. Outlook 365 in Vietnamese: "Từ/Đã gửi/Đến/Chủ đề" under a ____ rule.
    plain = ("Ủy ban nhân dân phường đề nghị bổ sung kinh phí thực hiện.\n\n"
             "________________________________\n" + OUTLOOK_HEADER_BLOCK_VI +
             "\n".join(LETTER_LINES) + "\n")
    html = "<html><body><div>Ủy ban nhân dân phường đề nghị bổ sung kinh phí thực hiện.</div></body></html>"
    write("02-outlook365-vi-header-block.eml",
          outlook_head("SG2PR06MB5301A1B2C3D4E5F6A7B8C9D0E1F2A@SG2PR06MB5301.apcprd06.prod.outlook.com",
                       ew_b("TL: " + LETTER_SUBJECT), ew_b("UBND Phường") + " <ubnd@phuong.example.vn>",
                       extra="Accept-Language: vi-VN, en-US\nX-MS-Has-Attach: \n"
                             "X-MS-TNEF-Correlator: \n",
                       mailer="Microsoft Outlook 16.0") +
          outlook_alt("_000_SG2PR06MB5301A1B2C3D4E5F6A7B8C9D0E1F2ASG2PR06MB5301apcp_", plain, html,
                      plain_cte="base64"), crlf=True)

    # 3. Outlook 2007 in windows-1258 (tone marks as combining characters).
    plain = ("Tổ dân phố số 3 thống nhất với nội dung dự thảo.\n\n"
             "-----Original Message-----\nFrom: %s [mailto:%s]\nSent: Tuesday, February 10, 2026 "
             "8:00 AM\nTo: tdp03@phuong.example.vn\nSubject: %s\n\n" %
             (OFFICE_NAME, OFFICE, LETTER_SUBJECT) + "\n".join(LETTER_LINES) + "\n")
    cp = "windows-1258"
    head = outlook_head("000001dc9b3c$aa11bb20$ff334455$@phuong.example.vn",
                        ew_q("RE: Xin ý kiến dự thảo", cp), ew_q("Tổ dân phố 3", cp) +
                        " <tdp03@phuong.example.vn>", mailer="Microsoft Office Outlook 12.0",
                        extra="X-MimeOLE: Produced By Microsoft MimeOLE V6.00.2900.5931\n")
    write("03-outlook2007-win1258-original-message.eml",
          head + "Content-Type: text/plain;\n\tcharset=\"windows-1258\"\n"
          "Content-Transfer-Encoding: quoted-printable\n\n" + qp(win1258(plain)), crlf=True)

    # 4. Outlook with a .docx reply; names as RFC 2047 in name= and filename=.
    docx = make_docx(["ỦY BAN NHÂN DÂN PHƯỜNG", "Ý kiến góp ý: Tổ dân phố số 4 nhất trí với dự thảo."])
    name = "Góp ý TDP4.docx"
    mixed = "----=_NextPart_000_0011_01DC9B80.1A2B3C40"
    alt = "----=_NextPart_001_0012_01DC9B80.1A2B3C40"
    body = ("Content-Type: multipart/mixed;\n\tboundary=\"%s\"\n\n"
            "This is a multi-part message in MIME format.\n\n--%s\n" % (mixed, mixed) +
            outlook_alt(alt, "Tổ dân phố số 4 gửi ý kiến trong tệp đính kèm.\n",
                        "<p>Tổ dân phố số 4 gửi ý kiến trong tệp đính kèm.</p>") +
            "\n--%s\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml."
            "document;\n\tname=\"%s\"\nContent-Transfer-Encoding: base64\n"
            "Content-Disposition: attachment;\n\tfilename=\"%s\"\n\n%s\n--%s--\n" %
            (mixed, ew_b(name), ew_b(name), b64(docx), mixed))
    write("04-outlook-docx-attachment.eml",
          outlook_head("000b01dc9b80$1a2b3c40$4e5f6a70$@phuong.example.vn", ew_b("RE: " + LETTER_SUBJECT),
                       "\"TDP 4\" <tdp04@phuong.example.vn>",
                       extra="X-MS-Has-Attach: yes\n") + body, crlf=True)

    # 5. Outlook sending rich text: the TNEF winmail.dat beside the plain text.
    body = ("Content-Type: multipart/mixed;\n\tboundary=\"----=_NextPart_000_0020_01DC9B81.00000000\"\n\n"
            "------=_NextPart_000_0020_01DC9B81.00000000\nContent-Type: text/plain;\n\tcharset=\"utf-8\"\n"
            "Content-Transfer-Encoding: 7bit\n\nTo dan pho so 5 dong y.\n\n"
            "------=_NextPart_000_0020_01DC9B81.00000000\nContent-Type: application/ms-tnef;\n\t"
            "name=\"winmail.dat\"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment;\n\t"
            "filename=\"winmail.dat\"\n\n" + b64(b"\x78\x9f\x3e\x22\x01\x00\x01\x06\x90\x08\x00") +
            "\n------=_NextPart_000_0020_01DC9B81.00000000--\n")
    write("05-outlook-winmail-dat.eml",
          outlook_head("002001dc9b81$00000000$00000000$@phuong.example.vn", "RE: Xin y kien du thao",
                       "tdp05@phuong.example.vn", mailer="Microsoft Outlook 14.0") + body, crlf=True)

    # 6. Exchange out-of-office, English.
    write("06-exchange-ooo-en.eml",
          "From: Tran Thi Mai <mai.tt@ubnd.example.vn>\nTo: %s\nSubject: Automatic reply: %s\n"
          "Thread-Topic: %s\nThread-Index: AQHcmTz4qW3f5m0nS0y7o1nI2q8p6Q==\n"
          "Date: Tue, 10 Feb 2026 01:00:05 +0000\nMessage-ID: <b1c2d3e4f5a6b7c8d9e0@EX01.ubnd.example.vn>\n"
          "In-Reply-To: <rem-k15-ubnd-1@phuong.example.vn>\nContent-Language: en-US\n"
          "X-MS-Has-Attach:\nX-MS-Exchange-Inbox-Rules-Loop: mai.tt@ubnd.example.vn\n"
          "Auto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n"
          "Content-Type: text/plain; charset=\"us-ascii\"\nContent-Transfer-Encoding: quoted-printable\n"
          "MIME-Version: 1.0\n\nI am out of the office until 16/02/2026 with limited access to email.\n" %
          (OFFICE, ew_q(LETTER_SUBJECT), ew_q(LETTER_SUBJECT)), crlf=True)

    # 7. Exchange out-of-office, Vietnamese, HTML only.
    html = "<html><body><p>Tôi đang đi công tác đến hết ngày 16/02/2026.</p></body></html>"
    write("07-exchange-ooo-vi.eml",
          "From: =?utf-8?B?%s?= <pho.ct@ubnd.example.vn>\nTo: %s\nSubject: %s\n"
          "Thread-Index: AQHcmTz4qW3f5m0nS0y7o1nI2q8p6Q==\nDate: Tue, 10 Feb 2026 01:00:07 +0000\n"
          "Message-ID: <c2d3e4f5a6b7@EX01.ubnd.example.vn>\nIn-Reply-To: <rem-k15-ubnd-1@phuong.example.vn>\n"
          "Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\nMIME-Version: 1.0\n"
          "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n\n%s" %
          (base64.b64encode("Phó Chủ tịch".encode()).decode(), OFFICE,
           ew_b("Trả lời tự động: " + LETTER_SUBJECT), b64(html)), crlf=True)

    # 8. Outlook reply with its signature logo (image001.png, inline, related).
    rel = "----=_NextPart_001_0031_01DC9B82.00000000"
    alt = "----=_NextPart_002_0032_01DC9B82.00000000"
    body = ("Content-Type: multipart/related;\n\tboundary=\"%s\"\n\n--%s\n" % (rel, rel) +
            outlook_alt(alt, "Trường Tiểu học Kim Đồng nhất trí.\n",
                        "<p>Trường Tiểu học Kim Đồng nhất trí.</p><img src=\"cid:image001.png@01DC9B82.00000000\">") +
            "\n--%s\nContent-Type: image/png;\n\tname=\"image001.png\"\nContent-Transfer-Encoding: base64\n"
            "Content-ID: <image001.png@01DC9B82.00000000>\nContent-Disposition: inline;\n\t"
            "filename=\"image001.png\"\n\n%s\n--%s--\n" % (rel, b64(PNG_1X1), rel))
    write("08-outlook-inline-signature-image.eml",
          outlook_head("003001dc9b82$00000000$00000000$@thkimdong.example.vn", "RE: Xin y kien",
                       "\"Truong TH Kim Dong\" <thkimdong@example.vn>") + body, crlf=True)

    # 9. Outlook Express 6: windows-1258 everywhere, multipart/alternative.
    cp = "windows-1258"
    plain = "Hội Phụ nữ phường nhất trí, không có ý kiến khác.\n\n----- Original Message -----\n" \
            "From: \"%s\" <%s>\nTo: <hoiphunu@phuong.example.vn>\nSent: Tuesday, February 10, 2026 8:00 AM\n" \
            "Subject: %s\n\n" % (OFFICE_NAME, OFFICE, LETTER_SUBJECT) + "\n".join(LETTER_LINES) + "\n"
    html = "<HTML><BODY><DIV><FONT face=Arial size=2>Hội Phụ nữ phường nhất trí, không có ý kiến khác." \
           "</FONT></DIV></BODY></HTML>"
    b = "----=_NextPart_000_0007_01DC9B83.6C8E4F20"
    write("09-outlook-express6-win1258.eml",
          "Message-ID: <000a01dc9b83$6c8e4f20$0200a8c0@HOIPHUNU>\nFrom: %s <hoiphunu@phuong.example.vn>\n"
          "To: %s\nReferences: <%s>\nSubject: %s\nDate: Wed, 11 Feb 2026 07:30:00 +0700\nMIME-Version: 1.0\n"
          "Content-Type: multipart/alternative;\n\tboundary=\"%s\"\nX-Priority: 3\nX-MSMail-Priority: Normal\n"
          "X-Mailer: Microsoft Outlook Express 6.00.2900.5512\n"
          "X-MimeOLE: Produced By Microsoft MimeOLE V6.00.2900.5512\n\n"
          "This is a multi-part message in MIME format.\n\n"
          "--%s\nContent-Type: text/plain;\n\tcharset=\"windows-1258\"\n"
          "Content-Transfer-Encoding: quoted-printable\n\n%s\n"
          "--%s\nContent-Type: text/html;\n\tcharset=\"windows-1258\"\n"
          "Content-Transfer-Encoding: quoted-printable\n\n%s\n--%s--\n" %
          (ew_q("Hội Phụ nữ", cp), OFFICE, LETTER_ID, ew_q("Re: Xin ý kiến dự thảo", cp), b, b,
           qp(win1258(plain)), b, qp(win1258(html)), b), crlf=True)

    # 10. An old client writing 8-bit windows-1258 headers with no encoded word.
    raw = ("From: " + "Tổ dân phố 10" + " <tdp10@phuong.example.vn>\nTo: " + OFFICE + "\n"
           "Subject: Trả lời: góp ý dự thảo\nDate: Wed, 11 Feb 2026 10:00:00 +0700\n"
           "Message-ID: <20260211100000.0010@tdp10-pc>\nX-Mailer: Microsoft Outlook Express 6.00.2800.1106\n"
           "MIME-Version: 1.0\nContent-Type: text/plain; charset=\"windows-1258\"\n"
           "Content-Transfer-Encoding: 8bit\n\nTổ dân phố 10 nhất trí.\n")
    write("10-old-client-8bit-win1258-headers.eml", win1258(raw), crlf=True)

    # 11. Outlook forward, inline, English header block.
    plain = ("Chuyển Phòng VH-XH ý kiến của Trạm Y tế.\n\n________________________________\n"
             "From: Tram Y te <tramyte@phuong.example.vn>\nSent: Wednesday, February 11, 2026 7:00 AM\n"
             "To: ubnd@phuong.example.vn\nSubject: RE: Xin y kien\n\nTrạm Y tế nhất trí với dự thảo.\n")
    write("11-outlook-forward-inline.eml",
          outlook_head("005001dc9b84$00000000$00000000$@phuong.example.vn", "FW: RE: Xin y kien",
                       "\"UBND Phuong\" <ubnd@phuong.example.vn>") +
          outlook_alt("----=_NextPart_000_0051_01DC9B84.00000000", plain, "<p>" + plain + "</p>"), crlf=True)


def win1258(s):
    """windows-1258 the way Vietnamese Windows keyboards produce it: letters
    that exist precomposed in the code page stay so, tone marks become the
    combining characters the code page has."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in s:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out += (letter + "".join(c for c in d if c in tones)).encode("cp1258")
    return bytes(out)


# ---------------------------------------------------------------------------
# Gmail (web and Android app)
# ---------------------------------------------------------------------------

def gmail_alt(boundary, plain, html, cte="quoted-printable"):
    enc = qp if cte == "quoted-printable" else b64
    return ("Content-Type: multipart/alternative; boundary=\"%s\"\n\n"
            "--%s\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s\n"
            "--%s\nContent-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s\n"
            "--%s--\n" % (boundary, boundary, cte, enc(plain), boundary, cte, enc(html), boundary))


def gmail_head(msgid, subject, from_field, date="Wed, 11 Feb 2026 08:41:07 +0700", extra=""):
    return ("MIME-Version: 1.0\nReferences: <%s>\nIn-Reply-To: <%s>\nFrom: %s\nDate: %s\n"
            "Message-ID: <%s>\nSubject: %s\nTo: %s <%s>\n%s" %
            (LETTER_ID, LETTER_ID, from_field, date, msgid, subject, ew_b(OFFICE_NAME), OFFICE, extra))


def gmail():
    attribution = ("Vào Th 3, 10 thg 2, 2026 vào lúc 08:00 %s <\n%s> đã viết:\n" % (OFFICE_NAME, OFFICE))
    plain = "Tổ dân phố số 12 nhất trí với dự thảo.\n\n" + attribution + "\n" + quoted(LETTER_LINES)
    html = ("<div dir=\"ltr\">Tổ dân phố số 12 nhất trí với dự thảo.</div><br><div class=\"gmail_quote\">"
            "<div dir=\"ltr\" class=\"gmail_attr\">Vào Th 3, 10 thg 2, 2026 vào lúc 08:00 %s &lt;<a href="
            "\"mailto:%s\">%s</a>&gt; đã viết:<br></div><blockquote class=\"gmail_quote\">%s</blockquote>"
            "</div>" % (OFFICE_NAME, OFFICE, OFFICE, "<br>".join(LETTER_LINES)))
    write("12-gmail-reply-vi.eml",
          gmail_head("CAF9x+Yk2_pQ8hR3vZ0m1Nw@mail.gmail.com", ew_b("Re: " + LETTER_SUBJECT),
                     "=?UTF-8?B?%s?= <tdp12.phuong@gmail.com>" %
                     base64.b64encode("Tổ dân phố 12".encode()).decode()) +
          gmail_alt("000000000000a1b2c3061f4e5d6c", plain, html, cte="base64"))

    # 13. Gmail in English, attribution wrapped over two lines.
    plain = ("Truong THCS Le Loi nhat tri.\n\nOn Tue, Feb 10, 2026 at 8:00 AM Phong VH-XH <%s>\nwrote:\n\n" %
             OFFICE + quoted(LETTER_LINES))
    write("13-gmail-reply-en-wrapped-attribution.eml",
          gmail_head("CAGr7a1pQ@mail.gmail.com", "Re: Xin y kien du thao Ke hoach 15/KH-VHXH",
                     "THCS Le Loi <thcsleloi@gmail.com>") +
          gmail_alt("0000000000003c4d5e061f4e5d6d", plain, "<div dir=\"ltr\">Truong THCS Le Loi nhat tri.</div>"))

    # 14. Gmail forward inline.
    plain = ("Em chuyển ý kiến của Tổ dân phố 14 ạ.\n\n---------- Forwarded message ---------\n"
             "From: Tổ trưởng TDP 14 <totruong14@yahoo.com>\nDate: Th 4, 11 thg 2, 2026 lúc 07:10\n"
             "Subject: Góp ý\nTo: <canbo.vhxh@gmail.com>\n\n\nTổ dân phố 14 đề nghị sửa mục 3.\n")
    write("14-gmail-forward-inline.eml",
          gmail_head("CAH0fwd14@mail.gmail.com", "Fwd: " + ew_q("Góp ý"),
                     "=?UTF-8?Q?C=C3=A1n_b=E1=BB=99_VH-XH?= <canbo.vhxh@gmail.com>") +
          gmail_alt("000000000000fd14fd14061f4e5d6e", plain, "<div dir=\"ltr\">" + plain.replace("\n", "<br>") + "</div>"))

    # 15. Gmail with a PDF: RFC 2047 names, X-Attachment-Id.
    pdf = make_pdf("To dan pho so 15 nhat tri voi du thao ke hoach.")
    name = "Ý kiến TDP15.pdf"
    mixed = "000000000000e5f6a7061f4e5d6f"
    write("15-gmail-pdf-attachment.eml",
          gmail_head("CAJ15pdf@mail.gmail.com", ew_b("Re: " + LETTER_SUBJECT),
                     "To dan pho 15 <tdp15@gmail.com>") +
          "Content-Type: multipart/mixed; boundary=\"%s\"\n\n--%s\n" % (mixed, mixed) +
          gmail_alt("000000000000e5f6a5061f4e5d6f", "Gửi kèm ý kiến.\n", "<div dir=\"ltr\">Gửi kèm ý kiến.</div>") +
          "--%s\nContent-Type: application/pdf; name=\"%s\"\nContent-Disposition: attachment; "
          "filename=\"%s\"\nContent-Transfer-Encoding: base64\nContent-ID: <f_lz9k2m0a0>\n"
          "X-Attachment-Id: f_lz9k2m0a0\n\n%s--%s--\n" % (mixed, ew_b(name), ew_b(name), b64(pdf), mixed))

    # 16. Gmail vacation responder.
    write("16-gmail-vacation.eml",
          "MIME-Version: 1.0\nFrom: Nguyen Thi Lan <lan.nt@gmail.com>\nDate: Tue, 10 Feb 2026 08:00:03 +0700\n"
          "Auto-Submitted: auto-replied\nMessage-ID: <CAvac16@mail.gmail.com>\nIn-Reply-To: <%s>\n"
          "References: <%s>\nSubject: %s\nTo: %s\nContent-Type: multipart/alternative; "
          "boundary=\"000000000000aaaa16\"\n\n--000000000000aaaa16\nContent-Type: text/plain; charset=\"UTF-8\"\n"
          "Content-Transfer-Encoding: quoted-printable\n\n%s\n--000000000000aaaa16\nContent-Type: text/html; "
          "charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n%s\n--000000000000aaaa16--\n" %
          (LETTER_ID, LETTER_ID, ew_b("Nghỉ phép: Re: " + LETTER_SUBJECT), OFFICE,
           qp("Tôi đang nghỉ phép đến 15/02.\n"), qp("<div>Tôi đang nghỉ phép đến 15/02.</div>")))

    # 17. Gmail's bounce: multipart/report, the whole reminder attached.
    reminder = ("MIME-Version: 1.0\nFrom: %s <%s>\nTo: tdp17@phuong.example.vn\n"
                "Subject: %s\nMessage-ID: <rem-k15-tdp17-1@phuong.example.vn>\nIn-Reply-To: <%s>\n"
                "References: <%s>\nDate: Mon, 16 Feb 2026 08:00:00 +0700\n"
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                "Nhắc: còn 3 ngày đến hạn góp ý.\n" %
                (ew_q(OFFICE_NAME), OFFICE, ew_q("Nhắc: " + LETTER_SUBJECT), LETTER_ID, LETTER_ID))
    b = "0000000000001717fa061f4e5d70"
    write("17-gmail-dsn-bounce.eml",
          "Delivered-To: %s\nReturn-Path: <>\nFrom: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
          "To: %s\nAuto-Submitted: auto-replied\nSubject: Delivery Status Notification (Failure)\n"
          "References: <rem-k15-tdp17-1@phuong.example.vn>\nIn-Reply-To: <rem-k15-tdp17-1@phuong.example.vn>\n"
          "X-Failed-Recipients: tdp17@phuong.example.vn\nMessage-ID: <65c7a1b2.050a0220.dsn17@mx.google.com>\n"
          "Date: Mon, 16 Feb 2026 01:00:02 +0000\nMIME-Version: 1.0\n"
          "Content-Type: multipart/report; boundary=\"%s\"; report-type=delivery-status\n\n"
          "--%s\nContent-Type: multipart/related; boundary=\"%s-r\"\n\n--%s-r\nContent-Type: multipart/"
          "alternative; boundary=\"%s-a\"\n\n--%s-a\nContent-Type: text/plain; charset=\"UTF-8\"\n\n"
          "** Address not found **\n\nYour message wasn't delivered to tdp17@phuong.example.vn because the "
          "address couldn't be found.\n--%s-a\nContent-Type: text/html; charset=\"UTF-8\"\n\n<p>Address not found</p>\n"
          "--%s-a--\n--%s-r--\n--%s\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\n"
          "Received-From-MTA: dns; phuong.example.vn\nArrival-Date: Sun, 15 Feb 2026 17:00:01 -0800 (PST)\n\n"
          "Final-Recipient: rfc822; tdp17@phuong.example.vn\nAction: failed\nStatus: 5.1.1\n"
          "Remote-MTA: dns; mx.phuong.example.vn. (203.0.113.7, the server for the domain.)\n"
          "Diagnostic-Code: smtp; 550 5.1.1 <tdp17@phuong.example.vn>: Recipient address rejected\n"
          "Last-Attempt-Date: Sun, 15 Feb 2026 17:00:02 -0800 (PST)\n\n--%s\nContent-Type: message/rfc822\n\n%s"
          "--%s--\n" % (OFFICE, OFFICE, b, b, b, b, b, b, b, b, b, b, b, reminder, b))

    # 18. Gmail Android app: short reply, attribution over two lines, quoted.
    plain = ("Đồng ý\n\nVào Th 3, 10 thg 2, 2026, 08:00 %s <%s>\nđã viết:\n\n" % (OFFICE_NAME, OFFICE) +
             quoted(LETTER_LINES))
    write("18-gmail-android-short.eml",
          gmail_head("CAandroid18@mail.gmail.com", ew_b("Re: " + LETTER_SUBJECT),
                     "Hoang Van Nam <nam.hv.tdp18@gmail.com>") +
          gmail_alt("0000000000001818aa061f4e5d71", plain,
                    "<div dir=\"auto\">Đồng ý</div><br><div class=\"gmail_quote\"><blockquote>%s</blockquote></div>" %
                    "<br>".join(LETTER_LINES)))


# ---------------------------------------------------------------------------
# Thunderbird
# ---------------------------------------------------------------------------

def tb_head(msgid, subject, from_field, extra="", ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) "
            "Gecko/20100101 Thunderbird/115.7.0"):
    return ("Message-ID: <%s>\nDate: Wed, 11 Feb 2026 09:00:00 +0700\nMIME-Version: 1.0\nUser-Agent: %s\n"
            "Subject: %s\nContent-Language: vi\nTo: %s <%s>\nReferences: <%s>\nFrom: %s\nIn-Reply-To: <%s>\n%s" %
            (msgid, ua, subject, ew_b(OFFICE_NAME), OFFICE, LETTER_ID, from_field, LETTER_ID, extra))


def thunderbird():
    # 19. format=flowed: soft line breaks end in a space.
    body = ("Tổ dân phố số 19 nhất trí với dự thảo kế hoạch, đề nghị bổ sung \n"
            "kinh phí cho hoạt động văn nghệ.\n\n"
            "Vào 10/02/2026 08:00, %s đã viết:\n" % OFFICE_NAME + quoted(LETTER_LINES))
    write("19-thunderbird-format-flowed.eml",
          tb_head("a1b2c3d4-0019-4e5f-8a9b-0c1d2e3f4a5b@phuong.example.vn", ew_b("Re: " + LETTER_SUBJECT),
                  ew_b("Tổ dân phố 19") + " <tdp19@phuong.example.vn>") +
          "Content-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 8bit\n\n" + body)

    # 20. Thunderbird attachment: name= RFC 2047, filename*0*/filename*1* RFC 2231.
    name = "Biên bản họp tổ dân phố số 20 về kế hoạch.txt"
    enc = pct(name)
    cut = enc.index("%20v%E1")  # continuation split, as Thunderbird does near 78 columns
    txt = "Biên bản: Tổ dân phố số 20 thống nhất với dự thảo.\n".encode()
    b = "------------0Xk2n3v9c0XyZ20abcdEFGH"
    write("20-thunderbird-rfc2231-continuation.eml",
          tb_head("0020aaaa-bbbb@phuong.example.vn", ew_b("Re: " + LETTER_SUBJECT),
                  "TDP 20 <tdp20@phuong.example.vn>") +
          "Content-Type: multipart/mixed; boundary=\"%s\"\n\nThis is a multi-part message in MIME format.\n"
          "--%s\nContent-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 8bit\n\n"
          "Gửi biên bản họp.\n\n--%s\nContent-Type: text/plain; charset=UTF-8; name=\"%s\"\n"
          "Content-Disposition: attachment;\n filename*0*=UTF-8''%s;\n filename*1*=%s\n"
          "Content-Transfer-Encoding: base64\n\n%s\n--%s--\n" %
          (b, b, b, ew_b(name), enc[:cut], enc[cut:], b64(txt), b))

    # 21. Thunderbird forward inline, Vietnamese UI.
    body = ("Chuyển ý kiến.\n\n\n-------- Thư chuyển tiếp --------\nChủ đề: 	Góp ý\nNgày: 	Wed, 11 Feb 2026 "
            "07:00:00 +0700\nTừ: 	Chi hội Cựu chiến binh <cuuchienbinh@phuong.example.vn>\nĐến: 	"
            "ubnd@phuong.example.vn\n\n\n\nChi hội Cựu chiến binh đề nghị lùi thời gian tổ chức.\n")
    write("21-thunderbird-forward-inline-vi.eml",
          tb_head("0021@phuong.example.vn", "Fwd: " + ew_q("Góp ý"), "UBND <ubnd@phuong.example.vn>") +
          "Content-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 8bit\n\n" + body)

    # 22. Thunderbird forward as attachment: message/rfc822 holding a reply with a .txt.
    inner_b = "------------inner22"
    inner = ("Message-ID: <inner22@phuong.example.vn>\nDate: Wed, 11 Feb 2026 07:00:00 +0700\n"
             "From: MTTQ <mttq@phuong.example.vn>\nTo: ubnd@phuong.example.vn\nSubject: %s\n"
             "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"%s\"\n\n--%s\n"
             "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
             "Ủy ban Mặt trận Tổ quốc phường nhất trí.\n--%s\nContent-Type: text/plain; charset=UTF-8; "
             "name=\"y-kien-mttq.txt\"\nContent-Disposition: attachment; filename=\"y-kien-mttq.txt\"\n"
             "Content-Transfer-Encoding: 8bit\n\nMTTQ phường thống nhất.\n--%s--\n" %
             (ew_b("Re: " + LETTER_SUBJECT), inner_b, inner_b, inner_b, inner_b))
    b = "------------outer22"
    write("22-thunderbird-forward-as-attachment.eml",
          tb_head("0022@phuong.example.vn", "Fwd: " + ew_b("Re: " + LETTER_SUBJECT),
                  "UBND <ubnd@phuong.example.vn>") +
          "Content-Type: multipart/mixed; boundary=\"%s\"\n\nThis is a multi-part message in MIME format.\n"
          "--%s\nContent-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 8bit\n\n"
          "Chuyển thư của MTTQ.\n\n--%s\nContent-Type: message/rfc822; charset=UTF-8; name=\"%s\"\n"
          "Content-Disposition: attachment; filename*=UTF-8''%s\n\n%s\n--%s--\n" %
          (b, b, b, ew_b("Re Xin ý kiến.eml"), pct("Re Xin ý kiến.eml"), inner, b))

    # 23. Thunderbird S/MIME signed.
    b = "------------ms050607080900010203040506"
    write("23-thunderbird-smime-signed.eml",
          tb_head("0023@congan.example.vn", ew_b("Re: " + LETTER_SUBJECT), "Cong an phuong <congan@phuong.example.vn>") +
          "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;\n"
          " boundary=\"%s\"\n\nThis is a cryptographically signed message in MIME format.\n\n"
          "--%s\nContent-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 8bit\n\n"
          "Công an phường không có ý kiến khác.\n\n--%s\nContent-Type: application/pkcs7-signature; "
          "name=\"smime.p7s\"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; "
          "filename=\"smime.p7s\"\nContent-Description: S/MIME Cryptographic Signature\n\n%s\n--%s--\n" %
          (b, b, b, b64(b"\x30\x82\x01\x00" + bytes(range(40))), b))

    # 24. Thunderbird 115 OpenPGP signed (PGP/MIME).
    b = "------------pgp24sig"
    write("24-thunderbird-pgp-signed.eml",
          tb_head("0024@phuong.example.vn", "Re: Xin y kien", "Doan Thanh nien <doantn@phuong.example.vn>") +
          "Content-Type: multipart/signed; micalg=pgp-sha256;\n protocol=\"application/pgp-signature\";\n"
          " boundary=\"%s\"\n\nThis is an OpenPGP/MIME signed message (RFC 4880 and 3156)\n--%s\n"
          "Content-Type: multipart/mixed; boundary=\"------------pgp24mix\";\n protected-headers=\"v1\"\n"
          "From: Doan Thanh nien <doantn@phuong.example.vn>\nSubject: Re: Xin y kien\n\n"
          "--------------pgp24mix\nContent-Type: text/plain; charset=UTF-8; format=flowed\n"
          "Content-Transfer-Encoding: base64\n\n%s\n--------------pgp24mix--\n\n--%s\n"
          "Content-Type: application/pgp-signature; name=\"OpenPGP_signature.asc\"\n"
          "Content-Description: OpenPGP digital signature\nContent-Disposition: attachment; "
          "filename=\"OpenPGP_signature.asc\"\n\n-----BEGIN PGP SIGNATURE-----\n\nwnsEABYIACMWIQQ=\n"
          "=abcd\n-----END PGP SIGNATURE-----\n\n--%s--\n" %
          (b, b, b64("Đoàn Thanh niên phường nhất trí.\n"), b, b))


# ---------------------------------------------------------------------------
# Apple Mail (macOS, iOS)
# ---------------------------------------------------------------------------

def apple():
    # 25. macOS Mail: NFD everywhere (subject, name, body), QP.
    b = "Apple-Mail=_5E2A6C1D-0B3F-4A55-9C7E-25A1B2C3D4E5"
    body = nfd("Hội Người cao tuổi phường hoàn toàn nhất trí.\n\n") + \
        nfd("Vào 10 thg 2, 2026, lúc 08:00, %s <%s> đã viết:\n\n" % (OFFICE_NAME, OFFICE)) + \
        nfd(quoted(LETTER_LINES))
    write("25-applemail-nfd-reply.eml",
          "From: %s <nguoicaotuoi@icloud.com>\nContent-Type: multipart/alternative;\n\tboundary=\"%s\"\n"
          "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.400.31\\))\nSubject: %s\nDate: Wed, 11 Feb 2026 "
          "09:30:00 +0700\nIn-Reply-To: <%s>\nTo: %s <%s>\nReferences: <%s>\n"
          "Message-Id: <7F3E2D1C-25AA-4B6C-8D9E-0F1A2B3C4D5E@icloud.com>\nX-Mailer: Apple Mail (2.3774.400.31)\n\n\n"
          "--%s\nContent-Transfer-Encoding: quoted-printable\nContent-Type: text/plain;\n\tcharset=utf-8\n\n%s\n"
          "--%s\nContent-Transfer-Encoding: quoted-printable\nContent-Type: text/html;\n\tcharset=utf-8\n\n%s\n--%s--\n" %
          (ew_q(nfd("Hội Người cao tuổi"), upper=False), b, ew_q(nfd("Re: " + LETTER_SUBJECT), upper=False),
           LETTER_ID, ew_q(nfd(OFFICE_NAME), upper=False), OFFICE, LETTER_ID, b, qp(body), b,
           qp(nfd("<html><body><div>Hội Người cao tuổi phường hoàn toàn nhất trí.</div></body></html>")), b))

    # 26. macOS Mail attachment: the file name is NFD (HFS+/APFS names), RFC 2231.
    pdf = make_pdf("Hoi Nguoi cao tuoi nhat tri.")
    name = nfd("Trả lời Hội NCT.pdf")
    b = "Apple-Mail=_0A1B2C3D-26AA-4B6C-8D9E-0F1A2B3C4D5E"
    write("26-applemail-nfd-attachment-name.eml",
          "From: =?utf-8?Q?H=E1=BB=99i_NCT?= <nguoicaotuoi@icloud.com>\nContent-Type: multipart/mixed;\n"
          "\tboundary=\"%s\"\nMime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.400.31\\))\nSubject: Re: Xin y kien\n"
          "Date: Wed, 11 Feb 2026 09:31:00 +0700\nIn-Reply-To: <%s>\nTo: %s\n"
          "Message-Id: <26AA@icloud.com>\nX-Mailer: Apple Mail (2.3774.400.31)\n\n\n"
          "--%s\nContent-Transfer-Encoding: 7bit\nContent-Type: text/plain;\n\tcharset=us-ascii\n\nGui kem.\n\n"
          "--%s\nContent-Disposition: attachment;\n\tfilename*=utf-8''%s\nContent-Type: application/pdf;\n"
          "\tx-unix-mode=0644;\n\tname=\"%s\"\nContent-Transfer-Encoding: base64\n\n%s\n--%s--\n" %
          (b, LETTER_ID, OFFICE, b, b, pct(name), ew_q(name, upper=False), b64(pdf), b))

    # 27. iPhone Mail: top-posted with "Gửi từ iPhone của tôi", then the attribution.
    b = "Apple-Mail-27A1B2C3-D4E5-F6A7-B8C9-D0E1F2A3B4C5"
    plain = ("Chi bộ khu phố 2 nhất trí.\n\nGửi từ iPhone của tôi\n\n> Vào 10 thg 2, 2026, lúc 08:00, %s "
             "<%s> đã viết:\n> \n" % (OFFICE_NAME, OFFICE) + quoted(LETTER_LINES))
    write("27-ios-mail-reply.eml",
          "Content-Type: multipart/alternative; boundary=%s\nContent-Transfer-Encoding: 7bit\n"
          "From: Chi bo KP2 <chibokp2@icloud.com>\nMime-Version: 1.0 (1.0)\nDate: Wed, 11 Feb 2026 10:02:11 +0700\n"
          "Subject: %s\nMessage-Id: <27B1C2D3-E4F5-4A6B-8C9D-0E1F2A3B4C5D@icloud.com>\nReferences: <%s>\n"
          "In-Reply-To: <%s>\nTo: %s\nX-Mailer: iPhone Mail (21D61)\n\n\n"
          "--%s\nContent-Type: text/plain;\n\tcharset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n%s\n"
          "--%s\nContent-Type: text/html;\n\tcharset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n%s\n--%s--\n" %
          (b, ew_q("Re: " + LETTER_SUBJECT, upper=False), LETTER_ID, LETTER_ID, OFFICE, b, qp(plain), b,
           qp("<html><body><div>Chi bộ khu phố 2 nhất trí.</div><blockquote type=\"cite\">%s</blockquote></body></html>" %
              "<br>".join(LETTER_LINES)), b))


# ---------------------------------------------------------------------------
# Zimbra, Yahoo, K-9, Samsung, Roundcube, mutt, webmail
# ---------------------------------------------------------------------------

def others():
    # 28. Zimbra (used by many *.gov.vn): alt, Thread-Topic/Thread-Index too.
    b = "=_4f3a2b1c-28aa-4d5e-9f0a-1b2c3d4e5f6a"
    plain = ("Phòng Tài chính - Kế hoạch nhất trí, đề nghị ghi rõ nguồn kinh phí.\n\n"
             "----- Thư gốc -----\nTừ: \"%s\" <%s>\nĐến: \"tckh\" <tckh@quan.gov.example.vn>\n"
             "Đã gửi: Thứ Ba, 10 Tháng Hai, 2026 8:00:00\nChủ đề: %s\n\n" % (OFFICE_NAME, OFFICE, LETTER_SUBJECT) +
             "\n".join(LETTER_LINES) + "\n")
    write("28-zimbra-reply-vi.eml",
          "Date: Wed, 11 Feb 2026 08:05:00 +0700 (ICT)\nFrom: =?utf-8?Q?Ph=C3=B2ng_TC-KH?= <tckh@quan.gov.example.vn>\n"
          "To: %s <%s>\nMessage-ID: <1712345678.28.1707613500000.JavaMail.zimbra@quan.gov.example.vn>\n"
          "In-Reply-To: <%s>\nReferences: <%s>\nSubject: %s\nMIME-Version: 1.0\n"
          "Content-Type: multipart/alternative; \n\tboundary=\"%s\"\n"
          "X-Originating-IP: [10.10.1.25]\nX-Mailer: Zimbra 8.8.15_GA_4581 (ZimbraWebClient - GC121 (Win)/8.8.15_GA_4581)\n"
          "Thread-Topic: %s\nThread-Index: Kx9w0s2V3Q4N1Vb2AkwJd5pYpQxN7w==\n\n"
          "--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n%s\n"
          "--%s\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n%s\n--%s--\n" %
          (ew_q(OFFICE_NAME, upper=False), OFFICE, LETTER_ID, LETTER_ID, ew_q("Re: " + LETTER_SUBJECT, upper=False), b,
           ew_q(LETTER_SUBJECT, upper=False), b, qp(plain), b,
           qp("<html><body><div style=\"font-family: arial\">Phòng Tài chính - Kế hoạch nhất trí, đề nghị ghi rõ "
              "nguồn kinh phí.</div><hr id=\"zwchr\"><blockquote>%s</blockquote></body></html>" % "<br>".join(LETTER_LINES)), b))

    # 29. Zimbra vacation reply.
    write("29-zimbra-vacation.eml",
          "Date: Tue, 10 Feb 2026 08:00:09 +0700 (ICT)\nFrom: =?utf-8?Q?Ph=C3=B2ng_T=C6=B0_ph=C3=A1p?= <tuphap@quan.gov.example.vn>\n"
          "To: %s\nMessage-ID: <29.vac.JavaMail.zimbra@quan.gov.example.vn>\nIn-Reply-To: <rem-k15-tp-1@phuong.example.vn>\n"
          "Subject: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n"
          "Auto-Submitted: auto-replied (zimbra; vacation)\nPrecedence: bulk\n\n%s" %
          (OFFICE, ew_q("Nghỉ Tết: " + LETTER_SUBJECT, upper=False), b64("Tôi nghỉ Tết đến 23/02/2026.\n")))

    # 30. Yahoo Mail: html with yahoo_quoted, plain with "Vào Thứ Ba ... đã viết:".
    b = "----=_Part_3012345_67890123.1707613800000"
    plain = (" Hội Chữ thập đỏ nhất trí.\n\n    Vào Thứ Ba, 10 tháng 2, 2026 lúc 08:00:00 GMT+7, %s <%s> đã viết:  \n\n"
             % (OFFICE_NAME, OFFICE) + "".join(" " + l + "\n" for l in LETTER_LINES))
    write("30-yahoo-reply-vi.eml",
          "Date: Wed, 11 Feb 2026 01:10:00 +0000 (UTC)\nFrom: =?UTF-8?Q?H=E1=BB=99i_Ch=E1=BB=AF_th=E1=BA=ADp_=C4=91=E1=BB=8F?= "
          "<chuthapdo_phuong@yahoo.com>\nReply-To: =?UTF-8?Q?H=E1=BB=99i_Ch=E1=BB=AF_th=E1=BA=ADp_=C4=91=E1=BB=8F?= "
          "<chuthapdo_phuong@yahoo.com>\nTo: %s <%s>\nMessage-ID: <1234567890.3012345.1707613800000@mail.yahoo.com>\n"
          "In-Reply-To: <%s>\nReferences: <%s>\nSubject: %s\nMIME-Version: 1.0\nContent-Type: multipart/alternative; \n"
          "\tboundary=\"%s\"\nX-Mailer: WebService/1.1.21952 YMailNorrin\nContent-Length: 1234\n\n"
          "--%s\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n%s\n"
          "--%s\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n%s\n--%s--\n" %
          (ew_q(OFFICE_NAME), OFFICE, LETTER_ID, LETTER_ID, ew_q("Re: " + LETTER_SUBJECT), b, b, qp(plain), b,
           qp("<html><body><div class=\"ydp\"><div>Hội Chữ thập đỏ nhất trí.</div></div><div id=\"yahoo_quoted_1\" "
              "class=\"yahoo_quoted\"><div>Vào Thứ Ba, 10 tháng 2, 2026 lúc 08:00:00 GMT+7, đã viết:</div>"
              "<blockquote>%s</blockquote></div></body></html>" % "<br>".join(LETTER_LINES)), b))

    # 31. K-9 Mail (Android): English attribution, "> " quoting, signature.
    write("31-k9-android-reply.eml",
          "MIME-Version: 1.0\nUser-Agent: K-9 Mail for Android\nIn-Reply-To: <%s>\nReferences: <%s>\n"
          "Content-Type: text/plain;\n charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n"
          "Subject: Re: =?UTF-8?Q?Xin_=C3=BD_ki=E1=BA=BFn?=\nFrom: Le Van Hung <hung.lv@tdp31.example.vn>\n"
          "Date: Wed, 11 Feb 2026 11:11:11 +0700\nTo: %s\nMessage-ID: <K9-31-A1B2C3@tdp31.example.vn>\n\n%s" %
          (LETTER_ID, LETTER_ID, OFFICE,
           qp("Tổ 31 đồng ý với dự thảo.\n-- \nSent from my Android device with K-9 Mail. Please excuse my brevity.\n\n"
              "On February 10, 2026 8:00:00 AM GMT+07:00, \"%s\" <%s> wrote:\n" % (OFFICE_NAME, OFFICE) +
              quoted(LETTER_LINES))))

    # 32. Samsung Email: "-------- Tin nhắn gốc --------" block.
    b = "--_com.samsung.android.email_1707614000123456789"
    plain = ("Tổ dân phố 32 nhất trí.\n\n\n\nGửi từ thiết bị Samsung Galaxy của tôi.\n\n\n"
             "-------- Tin nhắn gốc --------\nTừ: %s <%s>\nNgày: 10/02/2026 08:00 (GMT+07:00)\n"
             "Đến: tdp32@gmail.com\nChủ đề: %s\n\n" % (OFFICE_NAME, OFFICE, LETTER_SUBJECT) + "\n".join(LETTER_LINES) + "\n")
    write("32-samsung-email.eml",
          "MIME-Version: 1.0\nDate: Wed, 11 Feb 2026 11:20:00 +0700\nSubject: %s\nTo: %s\nFrom: tdp32 <tdp32@gmail.com>\n"
          "Message-ID: <samsung32.a1b2c3@email.android.com>\nIn-Reply-To: <%s>\n"
          "Content-Type: multipart/alternative; boundary=\"%s\"\n\n--%s\nContent-Type: text/plain; charset=utf-8\n"
          "Content-Transfer-Encoding: base64\n\n%s\n--%s\nContent-Type: text/html; charset=utf-8\n"
          "Content-Transfer-Encoding: base64\n\n%s\n--%s--\n" %
          (ew_b("Trả lời: " + LETTER_SUBJECT), OFFICE, LETTER_ID, b, b, b64(plain), b,
           b64("<html><body><div dir=\"auto\">Tổ dân phố 32 nhất trí.</div></body></html>"), b))

    # 33. Roundcube: format=flowed, English attribution with a date.
    write("33-roundcube-reply.eml",
          "MIME-Version: 1.0\nDate: Wed, 11 Feb 2026 11:30:00 +0700\nFrom: Tdp33 <tdp33@phuong.example.vn>\n"
          "To: %s\nSubject: %s\nIn-Reply-To: <%s>\nReferences: <%s>\nUser-Agent: Roundcube Webmail/1.6.5\n"
          "Message-ID: <a33b33c33d33e33f@phuong.example.vn>\nX-Sender: tdp33@phuong.example.vn\n"
          "Content-Type: text/plain; charset=US-ASCII;\n format=flowed\nContent-Transfer-Encoding: 7bit\n\n"
          "To dan pho 33 dong y.\n\nOn 2026-02-10 08:00, Phong VH-XH wrote:\n> Kinh gui: Uy ban nhan dan phuong\n"
          "> Qua thoi han tren, don vi khong co y kien duoc hieu la dong y.\n" %
          (OFFICE, "Re: Xin y kien du thao", LETTER_ID, LETTER_ID))

    # 34. Mutt: interleaved answers (bottom posting).
    write("34-mutt-interleaved.eml",
          "Date: Wed, 11 Feb 2026 11:40:00 +0700\nFrom: Pham Quoc Viet <viet@tdp34.example.vn>\nTo: %s\n"
          "Subject: Re: Xin y kien\nMessage-ID: <20260211044000.GA34@tdp34.example.vn>\nReferences: <%s>\n"
          "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Disposition: inline\n"
          "Content-Transfer-Encoding: 8bit\nIn-Reply-To: <%s>\nUser-Agent: Mutt/2.2.9 (2022-11-12)\n\n"
          "On Tue, Feb 10, 2026 at 08:00:00AM +0700, %s wrote:\n> Đề nghị các đơn vị góp ý trước ngày 20/02/2026.\n\n"
          "Tổ 34 góp ý: mục 2 nên ghi rõ địa điểm.\n\n> Quá thời hạn trên, đơn vị không có ý kiến được hiểu là đồng ý.\n\n"
          "Tổ 34 đã rõ.\n" % (OFFICE, LETTER_ID, LETTER_ID, OFFICE_NAME))

    # 35. A webmail that only sends HTML (QP), quoting in <blockquote>.
    write("35-webmail-html-only.eml",
          "Return-Path: <vanphong@xa.example.vn>\nFrom: =?utf-8?B?%s?= <vanphong@xa.example.vn>\nTo: %s\n"
          "Subject: =?utf-8?B?%s?=\nDate: Wed, 11 Feb 2026 11:50:00 +0700\nMessage-ID: <web35.1707627000@xa.example.vn>\n"
          "In-Reply-To: <%s>\nMIME-Version: 1.0\nX-Mailer: VNPT Webmail\nContent-Type: text/html; charset=\"utf-8\"\n"
          "Content-Transfer-Encoding: quoted-printable\n\n%s" %
          (base64.b64encode("Văn phòng UBND xã".encode()).decode(), OFFICE,
           base64.b64encode(("Re: " + LETTER_SUBJECT).encode()).decode(), LETTER_ID,
           qp("<html><head><style>body{font-family:Tahoma}</style></head><body><p>Văn phòng UBND xã "
              "<b>thống nhất</b>&nbsp;với dự thảo.</p><p>Trân trọng!</p><div>---- Vào 10/02/2026 %s đã viết ----"
              "</div><blockquote style=\"border-left:1px solid\">%s</blockquote></body></html>" %
              (OFFICE_NAME, "<br>".join(LETTER_LINES)))))

    # 36. An old Vietnamese webmail: HTML with numeric entities, windows-1258 label.
    write("36-old-webmail-html-entities.eml",
          "From: tdp36@phuong.example.vn\nTo: %s\nSubject: Tra loi\nDate: Wed, 11 Feb 2026 12:00:00 +0700\n"
          "Message-ID: <36@old.example.vn>\nMIME-Version: 1.0\nContent-Type: text/html; charset=windows-1258\n"
          "Content-Transfer-Encoding: 7bit\n\n<HTML><BODY><FONT face=\"VNI-Times\">T&#7893; d&#226;n ph&#7889; 36 "
          "nh&#7845;t tr&iacute;.</FONT><BR></BODY></HTML>\n" % OFFICE)

    # 37. VISCII (the pre-Unicode Vietnamese standard), declared as such.
    write("37-viscii-body.eml",
          b"From: tdp37@phuong.example.vn\nTo: " + OFFICE.encode() + b"\nSubject: " +
          ew_q("Trả lời", "viscii").encode() + b"\nDate: Wed, 11 Feb 2026 12:10:00 +0700\nMessage-ID: <37@viscii.example.vn>\n"
          b"MIME-Version: 1.0\nContent-Type: text/plain; charset=VISCII\nContent-Transfer-Encoding: 8bit\n\n" +
          encode("Tổ dân phố 37 nhất trí với dự thảo.\n", "viscii"))

    # 38. Mislabelled: says ISO-8859-1, the bytes are UTF-8 (a webmail default).
    write("38-mislabelled-latin1-is-utf8.eml",
          "From: tdp38@phuong.example.vn\nTo: %s\nSubject: Re: Xin y kien\nDate: Wed, 11 Feb 2026 12:20:00 +0700\n"
          "Message-ID: <38@mislabel.example.vn>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\n"
          "Content-Transfer-Encoding: 8bit\n\nTổ dân phố 38 đồng ý.\n" % OFFICE)

    # 39. Mislabelled the other way: says UTF-8, the bytes are windows-1258.
    write("39-mislabelled-utf8-is-win1258.eml",
          b"From: tdp39@phuong.example.vn\nTo: " + OFFICE.encode() + b"\nSubject: Re: Xin y kien\n"
          b"Date: Wed, 11 Feb 2026 12:30:00 +0700\nMessage-ID: <39@mislabel.example.vn>\nMIME-Version: 1.0\n"
          b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" +
          win1258("Tổ dân phố 39 nhất trí.\n"))

    # 40. windows-1258 base64 body and B subject (Outlook 2003, Vietnamese Windows).
    write("40-win1258-base64.eml",
          "From: %s <tdp40@phuong.example.vn>\nTo: %s\nSubject: %s\nDate: Wed, 11 Feb 2026 12:40:00 +0700\n"
          "Message-ID: <000401dc9b90$00000000$00000000@tdp40>\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=\"windows-1258\"\nContent-Transfer-Encoding: base64\n"
          "X-Mailer: Microsoft Office Outlook 11\n\n%s" %
          ("=?windows-1258?B?%s?=" % base64.b64encode(win1258("Tổ 40")).decode(), OFFICE,
           "=?windows-1258?B?%s?=" % base64.b64encode(win1258("Trả lời: Xin ý kiến")).decode(),
           b64(win1258("Tổ 40 thống nhất với kế hoạch.\n"))), crlf=True)

    # 41. A long subject folded over several Q words with lower-case charset.
    subj = "Re: " + LETTER_SUBJECT + " – ý kiến của Tổ dân phố số 41"
    words = []
    data = subj.encode()
    for i in range(0, len(data), 20):
        chunk = data[i:i + 20]
        words.append("=?utf-8?q?" + "".join(
            "_" if c == 0x20 else (chr(c) if (chr(c).isalnum() and c < 0x80) else "=%02X" % c) for c in chunk) + "?=")
    write("41-long-subject-folded-q-split.eml",
          "From: tdp41@phuong.example.vn\nTo: %s\nSubject: %s\nDate: Wed, 11 Feb 2026 12:50:00 +0700\n"
          "Message-ID: <41@fold.example.vn>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nĐồng ý.\n" %
          (OFFICE, "\n ".join(words)))

    # 42. Raw 8-bit UTF-8 headers (some webmail, Zimbra SMTPUTF8).
    write("42-raw-utf8-headers.eml",
          "From: Tổ dân phố 42 <tdp42@phuong.example.vn>\nTo: %s\nSubject: Trả lời: góp ý kế hoạch\n"
          "Date: Wed, 11 Feb 2026 13:00:00 +0700\nMessage-ID: <42@raw.example.vn>\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nTổ 42 nhất trí.\n" % OFFICE)


# ---------------------------------------------------------------------------
# Reply chains and forwards
# ---------------------------------------------------------------------------

def chains():
    # 43. A reply to a reply: nested quotes two deep.
    write("43-chain-nested-quotes.eml",
          "From: tdp43@phuong.example.vn\nTo: %s\nSubject: Re: Re: Xin y kien\nDate: Thu, 12 Feb 2026 08:00:00 +0700\n"
          "Message-ID: <43@chain.example.vn>\nIn-Reply-To: <42-office@phuong.example.vn>\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
          "Vâng, Tổ 43 xác nhận đã bổ sung.\n\nVào Th 4, 11 thg 2, 2026 lúc 15:00 %s <%s> đã viết:\n"
          "> Đề nghị Tổ 43 bổ sung số liệu.\n>\n> Vào Th 3, 10 thg 2, 2026 Tổ 43 <tdp43@phuong.example.vn> đã viết:\n"
          ">> Tổ 43 cần thêm thời gian.\n>>\n%s" % (OFFICE, OFFICE_NAME, OFFICE, quoted(LETTER_LINES, ">> ")))

    # 44. Outlook forwards the letter as an attachment (message/rfc822, .msg habits).
    letter = ("From: %s <%s>\nTo: ubnd@phuong.example.vn, congan@phuong.example.vn\nSubject: %s\n"
              "Date: Tue, 10 Feb 2026 08:00:00 +0700\nMessage-ID: <%s>\nMIME-Version: 1.0\n"
              "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n\n%s" %
              (ew_b(OFFICE_NAME), OFFICE, ew_b(LETTER_SUBJECT), LETTER_ID, b64("\n".join(LETTER_LINES) + "\n")))
    b = "----=_NextPart_000_0044_01DC9C10.00000000"
    write("44-outlook-forward-as-attachment.eml",
          outlook_head("004401dc9c10$00000000$00000000$@phuong.example.vn", "FW: " + ew_b(LETTER_SUBJECT),
                       "\"Van phong UBND\" <vp@phuong.example.vn>") +
          "Content-Type: multipart/mixed;\n\tboundary=\"%s\"\n\nThis is a multi-part message in MIME format.\n\n"
          "--%s\nContent-Type: text/plain;\n\tcharset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n%s\n"
          "--%s\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n%s\n--%s--\n" %
          (b, b, qp("Văn phòng đã nhận, chuyển đồng chí Chủ tịch.\n"), b, letter, b), crlf=True)

    # 45. Reply with Outlook's English block and nothing above it but one word.
    write("45-outlook-reply-only-ok.eml",
          outlook_head("004501dc9c11$00000000$00000000$@phuong.example.vn", "RE: Xin y kien",
                       "tdp45@phuong.example.vn") +
          "Content-Type: text/plain;\n\tcharset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n\nOK.\n\n" +
          OUTLOOK_HEADER_BLOCK_EN + "\n".join(LETTER_LINES) + "\n", crlf=True)

    # 46. Forwarded twice: message/rfc822 inside message/rfc822, the inner one has a PDF.
    pdf = make_pdf("Bien ban hop to dan pho 46.")
    inner2 = ("From: tdp46@phuong.example.vn\nSubject: Bien ban\nMessage-ID: <46-inner2@x>\nMIME-Version: 1.0\n"
              "Content-Type: multipart/mixed; boundary=\"i2\"\n\n--i2\nContent-Type: text/plain; charset=utf-8\n\n"
              "Biên bản họp tổ 46.\n--i2\nContent-Type: application/pdf; name=\"bien-ban-46.pdf\"\n"
              "Content-Disposition: attachment; filename=\"bien-ban-46.pdf\"\nContent-Transfer-Encoding: base64\n\n%s--i2--\n" % b64(pdf))
    inner1 = ("From: ubnd@phuong.example.vn\nSubject: Fwd: Bien ban\nMessage-ID: <46-inner1@x>\nMIME-Version: 1.0\n"
              "Content-Type: multipart/mixed; boundary=\"i1\"\n\n--i1\nContent-Type: text/plain; charset=utf-8\n\n"
              "Chuyển tiếp.\n--i1\nContent-Type: message/rfc822\n\n%s\n--i1--\n" % inner2)
    write("46-forward-of-forward-with-pdf.eml",
          "From: vp@phuong.example.vn\nTo: %s\nSubject: Fwd: Fwd: Bien ban\nDate: Thu, 12 Feb 2026 09:00:00 +0700\n"
          "Message-ID: <46@fwd.example.vn>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"o46\"\n\n"
          "--o46\nContent-Type: text/plain; charset=utf-8\n\nGửi phòng biên bản tổ 46.\n--o46\n"
          "Content-Type: message/rfc822\n\n%s\n--o46--\n" % (OFFICE, inner1))

    # 47. Apple Mail forward: "Begin forwarded message:" / "Bắt đầu thư được chuyển tiếp:".
    body = ("Chị xem giúp em ý kiến bên dưới.\n\n" + nfd("Bắt đầu thư được chuyển tiếp:\n\n") +
            nfd("Từ: Tổ 47 <tdp47@phuong.example.vn>\nChủ đề: Góp ý\nNgày: 11 tháng 2, 2026 lúc 07:00:00 GMT+7\n"
                "Đến: ubnd@phuong.example.vn\n\nTổ 47 đề nghị bỏ mục 4.\n"))
    write("47-applemail-begin-forwarded.eml",
          "From: =?utf-8?Q?Vi=E1=BB=87t?= <viet.ubnd@icloud.com>\nContent-Type: text/plain;\n\tcharset=utf-8\n"
          "Content-Transfer-Encoding: quoted-printable\nMime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.400.31\\))\n"
          "Subject: =?utf-8?Q?Fwd:_G=C3=B3p_=C3=BD?=\nMessage-Id: <47@icloud.com>\nDate: Thu, 12 Feb 2026 09:10:00 +0700\n"
          "To: %s\nX-Mailer: Apple Mail (2.3774.400.31)\n\n%s" % (OFFICE, qp(body)))


# ---------------------------------------------------------------------------
# Auto replies and reports
# ---------------------------------------------------------------------------

def auto_and_reports():
    # 48. Sieve vacation (Dovecot Pigeonhole).
    write("48-sieve-vacation.eml",
          "Subject: Auto: Xin y kien\nFrom: <tdp48@phuong.example.vn>\nTo: <%s>\nAuto-Submitted: auto-replied (vacation)\n"
          "Precedence: bulk\nMessage-ID: <dovecot-sieve-1707613200-48@mail.phuong.example.vn>\nDate: Tue, 10 Feb 2026 08:00:01 +0700\n"
          "In-Reply-To: <rem-k15-tdp48-1@phuong.example.vn>\nReferences: <rem-k15-tdp48-1@phuong.example.vn>\n"
          "X-Sieve: Pigeonhole Sieve 0.5.19 (f04b6d8f)\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
          "Content-Transfer-Encoding: 8bit\n\nTổ trưởng đang đi vắng.\n" % OFFICE)

    # 49. X-Autoreply: yes (Mail.ru / Yandex style), English text.
    write("49-x-autoreply.eml",
          "From: Nguyen Van Tuan <tuan.nv@bk.ru>\nTo: %s\nSubject: Re: Xin y kien\nX-Autoreply: yes\n"
          "Date: Tue, 10 Feb 2026 04:00:00 +0300\nMessage-ID: <49.autoreply@bk.ru>\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=utf-8\n\nI am on vacation until February 20.\n" % OFFICE)

    # 50. Precedence: auto_reply only (old vacation programs).
    write("50-precedence-auto-reply.eml",
          "From: tdp50@phuong.example.vn\nTo: %s\nSubject: Away\nPrecedence: auto_reply\n"
          "Date: Tue, 10 Feb 2026 08:00:00 +0700\nMessage-ID: <50@vacation.example.vn>\n\nDang di cong tac.\n" % OFFICE)

    # 51. A human reply that says "Auto-Submitted: no" and goes through a list (Precedence: bulk).
    write("51-human-reply-auto-submitted-no.eml",
          "From: tdp51@phuong.example.vn\nTo: %s\nSubject: Re: Xin y kien\nAuto-Submitted: no\nPrecedence: bulk\n"
          "Date: Tue, 10 Feb 2026 08:00:00 +0700\nMessage-ID: <51@list.example.vn>\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=utf-8\n\nTổ 51 nhất trí.\n" % OFFICE)

    # 52. Postfix bounce: text/rfc822-headers (headers only).
    b = "8C4E21A0F2.1707613201/mail.phuong.example.vn"
    write("52-postfix-dsn-headers-only.eml",
          "Return-Path: <>\nX-Original-To: %s\nDelivered-To: %s\nReceived: by mail.phuong.example.vn (Postfix)\n"
          "\tid 8C4E21A0F2; Tue, 10 Feb 2026 08:00:01 +0700 (+07)\nDate: Tue, 10 Feb 2026 08:00:01 +0700 (+07)\n"
          "From: MAILER-DAEMON@mail.phuong.example.vn (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\n"
          "To: %s\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n"
          "\tboundary=\"%s\"\nContent-Transfer-Encoding: 8bit\nMessage-Id: <20260210010001.8C4E21A0F2@mail.phuong.example.vn>\n\n"
          "This is a MIME-encapsulated message.\n\n--%s\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\n"
          "Content-Transfer-Encoding: 8bit\n\nThis is the mail system at host mail.phuong.example.vn.\n\n"
          "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
          "<tdp52@old-domain.example.vn>: host mx.old-domain.example.vn[198.51.100.52] said: 550\n    5.1.1 User unknown\n\n"
          "--%s\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
          "Reporting-MTA: dns; mail.phuong.example.vn\nX-Postfix-Queue-ID: 8C4E21A0F2\nX-Postfix-Sender: rfc822; %s\n"
          "Arrival-Date: Tue, 10 Feb 2026 08:00:00 +0700 (+07)\n\nFinal-Recipient: rfc822; tdp52@old-domain.example.vn\n"
          "Original-Recipient: rfc822;tdp52@old-domain.example.vn\nAction: failed\nStatus: 5.1.1\n"
          "Remote-MTA: dns; mx.old-domain.example.vn\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n"
          "--%s\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n"
          "Content-Transfer-Encoding: 8bit\n\nReturn-Path: <%s>\nFrom: %s <%s>\nTo: tdp52@old-domain.example.vn\n"
          "Subject: %s\nMessage-ID: <rem-k15-tdp52-1@phuong.example.vn>\nIn-Reply-To: <%s>\n"
          "Date: Tue, 10 Feb 2026 08:00:00 +0700\n\n--%s--\n" %
          (OFFICE, OFFICE, OFFICE, b, b, b, OFFICE, b, OFFICE, ew_q(OFFICE_NAME), OFFICE,
           ew_q("Nhắc: " + LETTER_SUBJECT), LETTER_ID, b))

    # 53. Exchange NDR: "Undeliverable:", html notification, original attached (CRLF).
    orig = ("From: %s <%s>\nTo: <ubnd@old.example.vn>\nSubject: %s\nDate: Tue, 10 Feb 2026 08:00:00 +0700\n"
            "Message-ID: <rem-k15-ubnd-2@phuong.example.vn>\nIn-Reply-To: <%s>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n\n%s" %
            (ew_b(OFFICE_NAME), OFFICE, ew_b("Nhắc: " + LETTER_SUBJECT), LETTER_ID, b64("Nhắc hạn góp ý.\n")))
    b = "_000_a1b2c3d4e5f6NDR53_"
    write("53-exchange-ndr.eml",
          "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@old.example.vn>\nTo: %s\n"
          "Date: Tue, 10 Feb 2026 01:00:03 +0000\nSubject: %s\nMessage-ID: <53ndr@EX01.old.example.vn>\n"
          "Content-Language: en-US\nX-MS-Exchange-Message-Is-Ndr:\nX-MS-Has-Attach: yes\nAuto-Submitted: auto-replied\n"
          "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"%s\"\n\n"
          "--%s\nContent-Type: multipart/alternative; differences=Content-Type;\n\tboundary=\"%sALT\"\n\n"
          "--%sALT\nContent-Type: text/plain; charset=\"us-ascii\"\nContent-Transfer-Encoding: quoted-printable\n\n"
          "Delivery has failed to these recipients or groups:\n\nubnd@old.example.vn\nThe email address you entered couldn't be found.\n\n"
          "--%sALT\nContent-Type: text/html; charset=\"us-ascii\"\nContent-Transfer-Encoding: quoted-printable\n\n"
          "<html><body><p><b>Delivery has failed to these recipients or groups:</b></p></body></html>\n--%sALT--\n\n"
          "--%s\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;EX01.old.example.vn\n"
          "Received-From-MTA: dns;mail.phuong.example.vn\nArrival-Date: Tue, 10 Feb 2026 01:00:02 +0000\n\n"
          "Original-Recipient: rfc822;ubnd@old.example.vn\nFinal-Recipient: rfc822;ubnd@old.example.vn\n"
          "Action: failed\nStatus: 5.1.10\nDiagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found\n\n"
          "--%s\nContent-Type: message/rfc822\n\n%s\n--%s--\n" %
          (OFFICE, ew_b("Undeliverable: Nhắc: " + LETTER_SUBJECT), b, b, b, b, b, b, b, b, orig, b), crlf=True)

    # 54. Exim: "Mail delivery failed", multipart/report with message/rfc822.
    orig = ("Message-Id: <rem-k15-tdp54-2@phuong.example.vn>\nFrom: %s\nTo: tdp54@full.example.vn\n"
            "Subject: =?utf-8?Q?Nh=E1=BA=AFc?=\nIn-Reply-To: <%s>\nDate: Tue, 10 Feb 2026 08:00:00 +0700\n\nbody\n" %
            (OFFICE, LETTER_ID))
    b = "1707613203-eximdsf-54"
    write("54-exim-dsn-mailbox-full.eml",
          "Return-path: <>\nX-Failed-Recipients: tdp54@full.example.vn\nAuto-Submitted: auto-replied\n"
          "From: Mail Delivery System <Mailer-Daemon@full.example.vn>\nTo: %s\nReferences: <rem-k15-tdp54-2@phuong.example.vn>\n"
          "Content-Type: multipart/report; report-type=delivery-status; boundary=%s\nMIME-Version: 1.0\n"
          "Subject: Mail delivery failed: returning message to sender\nMessage-Id: <E1rZ54-000054-Ab@full.example.vn>\n"
          "Date: Tue, 10 Feb 2026 01:00:03 +0000\n\n--%s\nContent-type: text/plain; charset=us-ascii\n\n"
          "This message was created automatically by mail delivery software.\n\nA message that you sent could not be "
          "delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n"
          "  tdp54@full.example.vn\n    mailbox is full: retry timeout exceeded\n\n--%s\nContent-type: message/delivery-status\n\n"
          "Reporting-MTA: dns; full.example.vn\n\nAction: failed\nFinal-Recipient: rfc822;tdp54@full.example.vn\nStatus: 5.0.0\n\n"
          "--%s\nContent-type: message/rfc822\n\n%s\n--%s--\n" % (OFFICE, b, b, b, b, orig, b))

    # 55. A delay warning (Action: delayed): a report, but nothing has failed yet.
    b = "DELAY55.1707620000/mail.phuong.example.vn"
    write("55-postfix-delay-warning.eml",
          "From: MAILER-DAEMON@mail.phuong.example.vn (Mail Delivery System)\nSubject: Delayed Mail (still being retried)\n"
          "To: %s\nAuto-Submitted: auto-replied\nDate: Tue, 10 Feb 2026 12:00:00 +0700\nMessage-Id: <delay55@mail.phuong.example.vn>\n"
          "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"%s\"\n\n"
          "--%s\nContent-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
          "This is the mail system at host mail.phuong.example.vn.\n\n####################################################\n"
          "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################\n\n"
          "--%s\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
          "Reporting-MTA: dns; mail.phuong.example.vn\n\nFinal-Recipient: rfc822; tdp55@slow.example.vn\nAction: delayed\n"
          "Status: 4.4.1\nWill-Retry-Until: Sat, 14 Feb 2026 08:00:00 +0700 (+07)\n\n--%s\nContent-Description: Undelivered Message Headers\n"
          "Content-Type: text/rfc822-headers\n\nFrom: %s\nTo: tdp55@slow.example.vn\nSubject: Nhac\n"
          "Message-ID: <rem-k15-tdp55-1@phuong.example.vn>\n\n--%s--\n" % (OFFICE, b, b, b, b, OFFICE, b))

    # 56. Outlook read receipt (MDN): multipart/report; report-type=disposition-notification.
    b = "----=_NextPart_000_0056_01DC9C20.00000000"
    write("56-outlook-read-receipt.eml",
          "From: \"TDP 56\" <tdp56@phuong.example.vn>\nTo: %s\nSubject: Read: %s\nDate: Tue, 10 Feb 2026 09:00:00 +0700\n"
          "Message-ID: <005601dc9c20$00000000$00000000$@phuong.example.vn>\nMIME-Version: 1.0\n"
          "Content-Type: multipart/report; report-type=disposition-notification;\n\tboundary=\"%s\"\n"
          "X-Mailer: Microsoft Outlook 16.0\nThread-Index: AQHcmTz4qW3f5m0nS0y7o1nI2q8p6Q==\n\n"
          "--%s\nContent-Type: text/plain;\n\tcharset=\"utf-8\"\nContent-Transfer-Encoding: 7bit\n\n"
          "Your message\n\n  To: tdp56@phuong.example.vn\n  Subject: Xin y kien\n\nwas read on 10/02/2026 09:00.\n\n"
          "--%s\nContent-Type: message/disposition-notification\n\nReporting-UA: tdp56-pc; Microsoft Outlook 16.0\n"
          "Final-Recipient: rfc822;tdp56@phuong.example.vn\nOriginal-Message-ID: <%s>\n"
          "Disposition: manual-action/MDN-sent-manually; displayed\n\n--%s--\n" %
          (OFFICE, ew_b(LETTER_SUBJECT), b, b, b, LETTER_ID, b), crlf=True)


# ---------------------------------------------------------------------------
# Attachment names
# ---------------------------------------------------------------------------

def attachments():
    # 57. IE6-era webmail upload: the whole Windows path as file name, and a
    # Unix path; names with control characters.
    b = "attach57"
    write("57-attachment-names-paths-controls.eml",
          "From: tdp57@phuong.example.vn\nTo: %s\nSubject: Gui tep\nDate: Thu, 12 Feb 2026 10:00:00 +0700\n"
          "Message-ID: <57@names.example.vn>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"%s\"\n\n"
          "--%s\nContent-Type: text/plain; charset=utf-8\n\nTệp gửi kèm.\n"
          "--%s\nContent-Type: text/plain; name=\"C:\\Documents and Settings\\Admin\\Desktop\\Tra loi.txt\"\n"
          "Content-Disposition: attachment; filename=\"C:\\Documents and Settings\\Admin\\Desktop\\Tra loi.txt\"\n\n"
          "Tra loi: dong y.\n"
          "--%s\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"../../../etc/cron.d/job\"\n\nx\n"
          "--%s\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"%s\"\n\nnot a pdf\n"
          "--%s--\n" % (OFFICE, b, b, b, b, b, ew_q("báo\tcáo\r.pdf"), b))

    # 58. RFC 2231 with a windows-1258 charset and a language tag.
    name = "Tờ trình.txt"
    b = "attach58"
    write("58-attachment-rfc2231-win1258.eml",
          "From: tdp58@phuong.example.vn\nTo: %s\nSubject: To trinh\nDate: Thu, 12 Feb 2026 10:10:00 +0700\n"
          "Message-ID: <58@names.example.vn>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"%s\"\n\n"
          "--%s\nContent-Type: text/plain\n\nxem tep\n--%s\nContent-Type: text/plain; charset=windows-1258\n"
          "Content-Disposition: attachment; filename*=windows-1258'vi'%s\nContent-Transfer-Encoding: quoted-printable\n\n%s\n--%s--\n" %
          (OFFICE, b, b, b, urllib.parse.quote(win1258(name), safe=""), qp(win1258("Tổ 58 đồng ý.\n")), b))

    # 59. Name only in Content-Type (no Content-Disposition), unnamed PDF next to it.
    pdf = make_pdf("Ubnd phuong nhat tri.")
    b = "attach59"
    write("59-attachment-name-in-content-type-and-unnamed.eml",
          "From: tdp59@phuong.example.vn\nTo: %s\nSubject: Van ban\nDate: Thu, 12 Feb 2026 10:20:00 +0700\n"
          "Message-ID: <59@names.example.vn>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"%s\"\n\n"
          "--%s\nContent-Type: text/plain\n\nhai tep\n--%s\nContent-Type: application/vnd.openxmlformats-officedocument."
          "wordprocessingml.document; name=\"y-kien.docx\"\nContent-Transfer-Encoding: base64\n\n%s"
          "--%s\nContent-Type: application/pdf\nContent-Disposition: attachment\nContent-Transfer-Encoding: base64\n\n%s--%s--\n" %
          (OFFICE, b, b, b, b64(make_docx(["Tổ 59 nhất trí toàn bộ."])), b, b64(pdf), b))

    # 60. Two attachments with the same name.
    b = "attach60"
    write("60-attachment-duplicate-names.eml",
          "From: tdp60@phuong.example.vn\nTo: %s\nSubject: Hai ban\nDate: Thu, 12 Feb 2026 10:30:00 +0700\n"
          "Message-ID: <60@names.example.vn>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"%s\"\n\n"
          "--%s\nContent-Type: text/plain\n\nban sua\n--%s\nContent-Type: text/plain; name=\"y-kien.txt\"\n\nban 1\n"
          "--%s\nContent-Type: text/plain; name=\"y-kien.txt\"\n\nban 2\n--%s--\n" % (OFFICE, b, b, b, b, b))


# ---------------------------------------------------------------------------
# Malformed input (the huge and the deep ones are generated in the test)
# ---------------------------------------------------------------------------

def malformed():
    write("61-malformed-multipart-no-boundary.eml",
          "From: tdp61@phuong.example.vn\nTo: %s\nSubject: Khong boundary\nDate: Thu, 12 Feb 2026 11:00:00 +0700\n"
          "Message-ID: <61@bad.example.vn>\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n\nTổ 61 nhất trí.\n" % OFFICE)
    write("62-malformed-boundary-never-used.eml",
          "From: tdp62@phuong.example.vn\nTo: %s\nSubject: Sai boundary\nDate: Thu, 12 Feb 2026 11:10:00 +0700\n"
          "Message-ID: <62@bad.example.vn>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"xyz\"\n\n"
          "--abc\nContent-Type: text/plain; charset=utf-8\n\nTổ 62 đồng ý.\n--abc--\n" % OFFICE)
    write("63-malformed-nul-bytes.eml",
          b"From: tdp63@phuong.example.vn\nTo: " + OFFICE.encode() + b"\nSubject: Nul\x00 bytes\n"
          b"Date: Thu, 12 Feb 2026 11:20:00 +0700\nMessage-ID: <63@bad.example.vn>\nMIME-Version: 1.0\n"
          b"Content-Type: text/plain; charset=utf-8\n\n" + "Tổ 63\x00 nhất\x00\x00 trí.\n".encode())
    write("64-malformed-invalid-base64.eml",
          "From: tdp64@phuong.example.vn\nTo: %s\nSubject: Base64 hong\nDate: Thu, 12 Feb 2026 11:30:00 +0700\n"
          "Message-ID: <64@bad.example.vn>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
          "Content-Transfer-Encoding: base64\n\nVOG7lSA2NCDEkeG7k25nIP*&^%%$#@!\n=====\n!!!!\n" % OFFICE)
    write("65-malformed-bad-qp-and-unterminated-word.eml",
          "From: tdp65@phuong.example.vn\nTo: %s\nSubject: =?utf-8?B?VOG7lSA2NQ\nDate: Thu, 12 Feb 2026 11:40:00 +0700\n"
          "Message-ID: <65@bad.example.vn>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
          "Content-Transfer-Encoding: quoted-printable\n\nT=E1=BB=95 65 =ZZ=C4=91=E1=BB=93ng =\n=C3=BD.=\n" % OFFICE)
    write("66-malformed-truncated-attachment.eml",
          "From: tdp66@phuong.example.vn\nTo: %s\nSubject: Cut\nDate: Thu, 12 Feb 2026 11:50:00 +0700\n"
          "Message-ID: <66@bad.example.vn>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b66\"\n\n"
          "--b66\nContent-Type: text/plain; charset=utf-8\n\nTổ 66 nhất trí.\n--b66\nContent-Type: application/pdf; "
          "name=\"y-kien-66.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5n" % OFFICE)
    write("67-malformed-not-mail.eml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")


def main():
    outlook()
    gmail()
    thunderbird()
    apple()
    others()
    chains()
    auto_and_reports()
    attachments()
    malformed()
    for old in os.listdir(OUT):
        if old.endswith(".eml"):
            os.remove(os.path.join(OUT, old))
    for name, data in FILES.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print("%d messages written to %s" % (len(FILES), OUT))


if __name__ == "__main__":
    main()
