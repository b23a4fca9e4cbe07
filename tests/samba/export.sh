#!/usr/bin/env bash
# Real exports for tests/samba.rs: a throwaway Samba AD domain controller for contoso.com, its
# schema extended with OpenChange's copy of the Exchange 2003 schema, samples/contoso.ldf
# loaded into it, and its directory exported with ldbsearch and, over LDAP on loopback, with
# ldapsearch in the shapes consultants receive.
#
#   bash tests/samba/export.sh OUTDIR
#
# OUTDIR receives the exports; exports.tsv, one line per export: the file, the hand-written
# sample it must read like, the number of entries the exporting tool reported, the command;
# loaded/, the LDIF given to Samba; and dc/, the domain controller (smb.conf, sam.ldb, logs).
# Every process started here is stopped on exit, whatever the outcome. Exit status 77 means
# that the stage cannot run on this machine (not root, no package source, no schema corpus);
# the line on stderr that starts with "skipped:" says why.
set -eEuo pipefail

cannot_run() {
  echo "skipped: $*" >&2
  exit 77
}

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out="$(cd "$1" && pwd)"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
here="$repo/tests/samba"
# samba and samba-tool live in sbin, which a non-login root shell may not have on its PATH.
export PATH="$PATH:/usr/sbin:/sbin"

realm=contoso.com
domain_dn=DC=contoso,DC=com
config_dn="CN=Configuration,$domain_dn"
schema_dn="CN=Schema,$config_dn"
exchange_dn="CN=Microsoft Exchange,CN=Services,$config_dn"
admin=Administrator@$realm
# Throwaway, on loopback only; it has to satisfy Samba's password complexity rule.
password='Exlint-Samba-1'

# The schema is read from the shared corpus, never copied into the repository (GPL-3.0 data).
# Found as tests/corpus.rs finds the corpus: $EXLINT_CORPUS, else shared/corpus beside any
# folder above the repository.
corpus="${EXLINT_CORPUS:-}"
if [ -z "$corpus" ]; then
  dir="$repo"
  while [ "$dir" != / ]; do
    if [ -d "$dir/shared/corpus" ]; then corpus="$dir/shared/corpus"; break; fi
    dir="$(dirname "$dir")"
  done
fi
schema_ldif="$corpus/exchange/openchange-setup-AD"
[ -n "$corpus" ] && [ -d "$schema_ldif" ] ||
  cannot_run "no Exchange schema in shared/corpus/exchange/openchange-setup-AD (set EXLINT_CORPUS)"

[ "$(id -u)" = 0 ] || cannot_run "not root: the stage installs packages and listens on port 389"

# The AD DC needs three packages that samba only recommends: the directory's modules, the
# provisioning data, and the VFS modules that provisioning uses for the sysvol ACLs.
packages=(samba samba-dsdb-modules samba-ad-provision samba-vfs-modules ldb-tools ldap-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get > /dev/null || cannot_run "no apt-get to install ${missing[*]}"
  echo "== installing ${missing[*]}"
  install=(apt-get install -y --no-install-recommends "${missing[@]}")
  # A fresh machine may have no package lists yet: update only when the install needs it.
  DEBIAN_FRONTEND=noninteractive "${install[@]}" ||
    { apt-get update && DEBIAN_FRONTEND=noninteractive "${install[@]}"; } ||
    cannot_run "could not install ${missing[*]} (no package source?)"
fi

# Port 389 is fixed for an AD DC; another server on it would answer our searches instead.
if (exec 3<> /dev/tcp/127.0.0.1/389) 2> /dev/null; then
  cannot_run "something already listens on 127.0.0.1:389"
fi

dc="$out/dc"
loaded="$out/loaded"
rm -rf "$dc" "$loaded"
mkdir -p "$loaded"
samba_pid=

stop_samba() {
  [ -n "$samba_pid" ] || return 0
  # Closing its standard input stops an interactive samba; a signal is the fallback.
  exec 3>&- || true
  for _ in $(seq 50); do kill -0 "$samba_pid" 2> /dev/null || break; sleep 0.1; done
  kill "$samba_pid" 2> /dev/null || true
  for _ in $(seq 50); do kill -0 "$samba_pid" 2> /dev/null || break; sleep 0.1; done
  kill -KILL "$samba_pid" 2> /dev/null || true
  wait "$samba_pid" 2> /dev/null || true
  samba_pid=
}
trap stop_samba EXIT
trap 'exit 130' INT TERM
trap 'echo "export.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

echo "== provisioning a domain controller for $realm in $dc"
mkdir -p "$dc"
samba-tool domain provision --targetdir="$dc" --realm="$realm" --domain=CONTOSO \
  --server-role=dc --dns-backend=NONE --host-name=dc1 --adminpass="$password" \
  --option="log file = $dc/log.%m" > "$dc/provision.log" 2>&1 ||
  { cat "$dc/provision.log" >&2; exit 1; }
# The LDAP server alone, on loopback alone: the searches need nothing else, and nothing listens
# beyond this machine. Simple binds over plain LDAP need `require strong auth = no`. The pid
# file goes with the rest, not to /run/samba. Written into [global] in place of provisioning's
# values (provisioning drops some --option settings).
settings=("interfaces = lo" "bind interfaces only = yes" "server services = ldap"
  "ldap server require strong auth = no" "pid directory = $dc")
awk -v settings="$(printf '\t%s\n' "${settings[@]}")" '
  BEGIN { n = split(settings, lines, "\n"); for (i = 1; i <= n; i++) { split(lines[i], kv, " = "); set[kv[1]] } }
  /^\[global\]$/ { print; print settings; next }
  { split($0, kv, " = "); if (!(kv[1] in set)) print }' "$dc/etc/smb.conf" > "$dc/etc/smb.conf.new"
mv "$dc/etc/smb.conf.new" "$dc/etc/smb.conf"
ldb=(--configfile="$dc/etc/smb.conf" -H "$dc/private/sam.ldb")
schema_update=(--option="dsdb:schema update allowed=true")

echo "== extending the schema with $schema_ldif"
# OpenChange's order (its provision.py): attributes first, then the classes the others derive
# from or live in, then the other classes; possSuperiors and the extensions of AD's own classes
# last, because they name classes from every file.
for part in attributes auxiliary_class objectCategory container subcontainer sub_CfgProtocol \
  sub_mailGateway '' possSuperior modify; do
  file="oc_provision_schema${part:+_$part}.ldif"
  python3 "$here/prepare.py" schema "$schema_ldif/$file" "$schema_dn" > "$loaded/$file"
  if [ "$part" = possSuperior ] || [ "$part" = modify ]; then
    ldbmodify "${ldb[@]}" "${schema_update[@]}" "$loaded/$file"
  else
    ldbadd "${ldb[@]}" "${schema_update[@]}" "$loaded/$file"
  fi
done

echo "== loading samples/contoso.ldf"
ldbsearch "${ldb[@]}" -b "$schema_dn" -s one '(objectClass=attributeSchema)' \
  lDAPDisplayName attributeSyntax linkID > "$loaded/attributes.ldif"
python3 "$here/prepare.py" organization "$repo/samples/contoso.ldf" "$loaded/attributes.ldif" \
  "$loaded/contoso-entries.ldif" "$loaded/contoso-links.ldif"
ldbadd "${ldb[@]}" "$loaded/contoso-entries.ldif"
ldbmodify "${ldb[@]}" "$loaded/contoso-links.ldif"

printf 'file\tsample\tentries\tcommand\n' > "$out/exports.tsv"
# save FILE SAMPLE ENTRIES COMMAND...: runs COMMAND into OUTDIR/FILE and lists it.
save() {
  local file="$1" sample="$2" entries="$3"
  shift 3
  timeout 120 "$@" > "$out/$file"
  printf '%s\t%s\t%s\t%s\n' "$file" "$sample" "$(entries "$file" "$entries")" "$(shell_words "$@")" \
    >> "$out/exports.tsv"
}
# A command as one would type it: words quoted only where the shell needs it.
shell_words() {
  local word line=
  for word; do
    [[ "$word" =~ ^[A-Za-z0-9_./=:@,+-]+$ ]] || word="'$word'"
    line+="${line:+ }$word"
  done
  echo "$line"
}
# The entry count the tool printed: ldbsearch's `# N entries`, ldapsearch's `# numEntries: N`.
entries() {
  case "$2" in
    from-trailer) sed -n -e 's/^# \([0-9]*\) entries$/\1/p' -e 's/^# numEntries: \([0-9]*\)$/\1/p' "$out/$1" ;;
    *) echo "$2" ;;
  esac
}

echo "== exporting with ldbsearch"
save ldbsearch-configuration.ldif contoso.ldf from-trailer \
  ldbsearch "${ldb[@]}" -b "$config_dn" '(objectClass=*)'
save ldbsearch-all-partitions.ldif contoso.ldf from-trailer \
  ldbsearch "${ldb[@]}" -b "$domain_dn" --cross-ncs '(objectClass=*)'

echo "== starting samba on 127.0.0.1:389"
# Interactive samba stops when its standard input closes: this shell holds the only writer,
# so samba ends with it even if it is killed. --maximum-runtime is the last resort.
mkfifo "$dc/samba.stdin"
samba --interactive --model=single --maximum-runtime=600 --configfile="$dc/etc/smb.conf" \
  < "$dc/samba.stdin" > "$dc/samba.log" 2>&1 &
samba_pid=$!
exec 3> "$dc/samba.stdin"
for attempt in $(seq 100); do
  kill -0 "$samba_pid" 2> /dev/null || { cat "$dc/samba.log" >&2; echo "samba exited" >&2; exit 1; }
  if (exec 4<> /dev/tcp/127.0.0.1/389) 2> /dev/null; then break; fi
  [ "$attempt" -lt 100 ] || { cat "$dc/samba.log" >&2; echo "samba did not listen within 20 s" >&2; exit 1; }
  sleep 0.2
done

echo "== exporting with ldapsearch"
ldap=(ldapsearch -x -H ldap://127.0.0.1 -D "$admin" -w "$password" -o nettimeout=30)
# AD answers at most 1000 entries per search (MaxPageSize), so a search of a whole partition
# pages, against Samba as against Windows; the second export pages by 100, 17 pages.
save ldapsearch.ldif contoso.ldf from-trailer \
  "${ldap[@]}" -E pr=1000/noprompt -b "$config_dn" '(objectClass=*)'
save ldapsearch-paged.ldif contoso.ldf from-trailer \
  "${ldap[@]}" -E pr=100/noprompt -b "$config_dn" '(objectClass=*)'
# -LLL prints no count: the same search, asking for no attributes, counts its entries.
lll_entries="$(timeout 120 "${ldap[@]}" -E pr=1000/noprompt -b "$config_dn" '(objectClass=*)' 1.1 |
  sed -n 's/^# numEntries: //p')"
save ldapsearch-LLL.ldif contoso.ldf "$lll_entries" \
  "${ldap[@]}" -LLL -E pr=1000/noprompt -b "$config_dn" '(objectClass=*)'
# The search that samples/contoso-filtered.ldif shows in its header.
save ldapsearch-filtered.ldif contoso-filtered.ldif from-trailer \
  "${ldap[@]}" -b "$exchange_dn" \
  '(|(objectClass=protocolCfgSMTPServer)(objectClass=msExchRoutingSMTPConnector)(objectClass=msExchRoutingGroupConnector))'

stop_samba
echo "== exports in $out"
cut -f1-3 "$out/exports.tsv"
