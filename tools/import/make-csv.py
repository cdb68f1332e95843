#!/usr/bin/env python3
"""Writes a realistic lead CSV for the import benchmark: `;`-separated, a header in Russian as Excel users
write it, names, phones, e-mails, companies, cities, a number field and tags, some cells quoted.

Usage: python3 tools/import/make-csv.py ROWS OUT.csv   (deterministic: the same ROWS give the same file)
"""
import random
import sys

FIRST = ["Ольга", "Иван", "Пётр", "Анна", "Jonas", "Oksana", "Mykola", "Emily", "Дмитрий", "Мария"]
LAST = ["Смирнова", "Петров", "Иванов", "Kazlauskas", "Шевченко", "Brown", "Коваленко", "Соколова"]
CITY = ["Москва", "Київ", "Vilnius", "Екатеринбург", "London", "Одеса"]
TAGS = ["vip", "wholesale", "retail", "партнёр"]

def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(42)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("ФИО;Телефон;E-mail;Компания;Город;Бюджет;Теги;Комментарий\r\n")
        for i in range(rows):
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}"
            phone = f"+7 9{i // 10_000_000 % 10}{i // 100_000 % 100:02d} {i // 1000 % 100:03d}-{i // 10 % 100:02d}-{i % 10}{rnd.randrange(10)}"
            email = f"lead{i}@example.com"
            company = f"\"ООО \"\"Ромашка {i % 5000}\"\"; филиал\"" if i % 7 == 0 else f"Компания {i % 5000}"
            tags = ", ".join(rnd.sample(TAGS, rnd.randrange(3)))
            comment = "\"звонить после 18:00\r\nне раньше\"" if i % 11 == 0 else ""
            f.write(f"{name};{phone};{email};{company};{rnd.choice(CITY)};{rnd.randrange(1000, 1_000_000)};{tags};{comment}\r\n")

main()
