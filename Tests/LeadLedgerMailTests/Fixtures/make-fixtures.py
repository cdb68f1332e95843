#!/usr/bin/env python3
"""Writes the e-mail fixtures of LeadLedgerMailTests with Python's own MIME writer (the `email` package), an
implementation independent of the one under test. Run from this directory: python3 make-fixtures.py

The messages are committed, not made at test time, so the tests read fixed bytes. Two broken messages
(truncated, unknown charset) are written by hand below, as a broken mailer would.
"""
from email.charset import QP, Charset
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

def write(name, message):
    with open(name, "wb") as f:
        f.write(message.as_bytes().replace(b"\n", b"\r\n"))

# 1. KOI8-R plain text, quoted-printable; subject and sender's name as KOI8-R encoded words.
m = MIMEText("Здравствуйте!\nХотим заказать подключение для офиса.\nИван", "plain", "koi8-r")
m.replace_header("Content-Transfer-Encoding", "quoted-printable")
m.set_payload(__import__("quopri").encodestring("Здравствуйте!\nХотим заказать подключение для офиса.\nИван".encode("koi8-r")).decode("ascii"))
m["From"] = formataddr(("Иван Петров", "ivan.petrov@example.ru"), charset="koi8-r")
m["To"] = "sales@leadledger.test"
m["Subject"] = Header("Заявка на подключение", "koi8-r")
m["Date"] = "Fri, 04 Dec 2026 10:15:00 +0300"
m["Message-ID"] = "<koi8r-1@mail.example.ru>"
write("koi8r-plain.eml", m)

# 2. Windows-1251, multipart/alternative: a base64 text part (a website form's mail) and its HTML twin.
body = "Новая заявка с сайта\nИмя: Ольга Смирнова\nТелефон: 8 (912) 345-67-89\nE-mail: olga@example.ru\nКомпания: ООО Ромашка\n"
m = MIMEMultipart("alternative", boundary="=_alt_boundary_42")
m.attach(MIMEText(body, "plain", "windows-1251"))
m.attach(MIMEText("<html><body><p>Новая заявка с сайта</p><p>Имя: Ольга Смирнова<br>Телефон: 8 (912) 345-67-89</p></body></html>", "html", "windows-1251"))
m["From"] = formataddr(("Сайт", "noreply@site.example.ru"))
m["To"] = "sales@leadledger.test"
m["Subject"] = Header("Заявка с сайта", "windows-1251")
m["Date"] = "Fri, 4 Dec 2026 11:00 +0300 (MSK)"
m["Message-ID"] = "<form-42@site.example.ru>"
write("cp1251-alternative.eml", m)

# 3. UTF-8 multipart/mixed: a quoted-printable text part and a PDF attachment with an RFC 2231 file name.
m = MIMEMultipart("mixed", boundary="=_mixed_boundary_7")
utf8_qp = Charset("utf-8")
utf8_qp.body_encoding = QP
text = MIMEText("Labas! Prašome atsiųsti pasiūlymą.\nRūta Kazlauskienė, UAB Rasa\n", "plain", utf8_qp)
m.attach(text)
pdf = MIMEApplication(b"%PDF-1.4 fixture\n", "pdf")
pdf.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "pasiūlymas.pdf"))
m.attach(pdf)
m["From"] = formataddr(("Rūta Kazlauskienė", "ruta@rasa.lt"))
m["To"] = "sales@leadledger.test"
m["Subject"] = Header("Užklausa dėl kainos", "utf-8")
m["Date"] = "Fri, 04 Dec 2026 09:00:00 +0200"
m["Message-ID"] = "<mixed-7@rasa.lt>"
write("utf8-mixed-attachment.eml", m)

# 4. Broken by hand: a multipart cut off before its closing boundary, and a part in a charset nobody knows.
with open("truncated-multipart.eml", "wb") as f:
    f.write(b"From: Client <client@example.com>\r\nSubject: Cut off\r\nMessage-ID: <cut-1@example.com>\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            b"--b1\r\nContent-Type: text/plain\r\n\r\nHello, I would like a quote for\r\n")
with open("unknown-charset.eml", "wb") as f:
    f.write(b"From: client@example.com\r\nSubject: Hi\r\nMessage-ID: <charset-1@example.com>\r\n"
            b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nHello\r\n")
# 5. No Message-Id, a folded subject, LF line ends (as procmail keeps them), an HTML-only body.
with open("no-message-id.eml", "wb") as f:
    f.write(b"From: \"Smith, John\" <john.smith@example.com>\nSubject: Need a\n quote &\n  prices\n"
            b"Date: Thu, 03 Dec 2026 23:30:00 -0500\nContent-Type: text/html; charset=utf-8\n\n"
            b"<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;team,</p>"
            b"<p>Call me: +1 555 0100 &amp; ask for John</p></body></html>\n")
