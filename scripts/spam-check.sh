#!/usr/bin/env bash
# Every mail dunav sends, scored by SpamAssassin 4 with its offline rules:
# the digest in both languages (the preview), the test copy and the signup
# confirmation (both sent through a loopback SMTP sink). Fails if a mail
# scores 1.0 or more, or hits a BODY rule other than HTML_MESSAGE.
#
#   scripts/spam-check.sh            # installs Debian's spamassassin if missing (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v spamassassin >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends spamassassin >/dev/null
  else
    echo "spamassassin is missing: apt-get install spamassassin" >&2; exit 1
  fi
fi
cargo build --release --quiet
dunav=$PWD/target/release/dunav
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
site=$work/site mail=$work/mail
mkdir -p "$site" "$mail"
cp -r site.toml content themes "$site/"
[ -d static ] && cp -r static "$site/"

# A loopback SMTP sink: each message into $mail/N.eml.
python3 - "$mail" > "$work/sink.port" <<'PY' &
import socketserver, sys, os, itertools
out = sys.argv[1]; counter = itertools.count(1)
class Session(socketserver.StreamRequestHandler):
    def handle(self):
        w = lambda s: self.wfile.write(s.encode() + b"\r\n")
        w("220 sink")
        while line := self.rfile.readline():
            cmd = line.decode("utf-8", "replace").strip().upper()
            if cmd.startswith("EHLO"): w("250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8")
            elif cmd.startswith("DATA"):
                w("354 go"); data = b""
                while (l := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data += l[1:] if l.startswith(b"..") else l
                path = os.path.join(out, f"{next(counter)}.eml")
                open(path + ".tmp", "wb").write(data); os.rename(path + ".tmp", path); w("250 ok")
            elif cmd.startswith("QUIT"): w("221 bye"); return
            else: w("250 ok")
server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
while [ ! -s "$work/sink.port" ]; do sleep 0.1; done
port=$(cat "$work/sink.port")
export DUNAV_SECRET=spam-check-secret-0123456789 DUNAV_SMTP_URL=smtp://127.0.0.1:$port DUNAV_DB=$work/db.sqlite

"$dunav" --root "$site" newsletter preview 2026-12 --out "$work/bg" >/dev/null
"$dunav" --root "$site" newsletter preview 2026-12 --lang en --out "$work/en" >/dev/null
"$dunav" --root "$site" newsletter send 2026-12 --to reader@example.org >/dev/null
"$dunav" --root "$site" newsletter send 2026-12 --to reader@example.org --lang en >/dev/null
"$dunav" --root "$site" subscriptions serve --listen 127.0.0.1:0 > "$work/service.log" 2>&1 &
until grep -q "http://" "$work/service.log" 2>/dev/null; do sleep 0.1; done
service=$(grep -o 'http://[0-9.:]*' "$work/service.log" | head -1)
origin=$(grep '^base_url' site.toml | sed 's/.*"\(.*\)".*/\1/')
curl -s -o /dev/null -H "Origin: $origin" --data "email=new%40example.org&language=bg&consent=yes" "$service/subscribe"
until [ -e "$mail/3.eml" ]; do sleep 0.1; done
curl -s -o /dev/null -H "Origin: $origin" --data "email=other%40example.org&language=en&consent=yes" "$service/subscribe"
until [ -e "$mail/4.eml" ]; do sleep 0.1; done

status=0
printf '%-28s %6s  %s\n' mail score rules
for pair in "digest (bg):$work/bg/digest.eml" "digest (en):$work/en/digest.eml" \
            "test copy (bg):$mail/1.eml" "test copy (en):$mail/2.eml" "confirmation (bg):$mail/3.eml" "confirmation (en):$mail/4.eml"; do
  name=${pair%%:*} file=${pair#*:}
  report=$(spamassassin -t -L < "$file" 2>/dev/null | sed -n '/Content analysis details/,$p')
  score=$(echo "$report" | sed -n 's/.*(\(-\{0,1\}[0-9.]*\) points.*/\1/p')
  rules=$(echo "$report" | awk '/^ *-?[0-9]+\.[0-9]+ [A-Z_0-9]+/ {print $2"("$1")"}' | tr '\n' ' ')
  printf '%-28s %6s  %s\n' "$name" "$score" "$rules"
  if awk "BEGIN {exit !($score >= 1.0)}"; then status=1; fi
  body_rules=$(echo "$report" | grep -E '^ *-?[0-9.]+ [A-Z_0-9]+ +BODY:' | grep -v HTML_MESSAGE || true)
  [ -z "$body_rules" ] || { echo "  BODY rules: $body_rules"; status=1; }
done
exit $status
