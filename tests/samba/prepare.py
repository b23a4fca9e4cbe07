"""Turns LDIF written for other directories into LDIF that Samba's ldbadd and ldbmodify load.

    prepare.py schema FILE SCHEMA_DN
        An OpenChange schema file with ${SCHEMADN} filled in, on standard output.
    prepare.py organization SAMPLE ATTRIBUTES ADD_OUT LINKS_OUT
        A hand-written ldifde export (CRLF, folded, `changetype: add`) split into the entries
        (ADD_OUT) and the links that must wait until their targets exist (LINKS_OUT).
        ATTRIBUTES is ldbsearch's output of the loaded schema's attributeSchema objects.

Only the standard library: this runs before anything is installed but Samba.
"""

import base64
import re
import sys

# Samba gives every object its own GUID, timestamps and update sequence numbers; it refuses a
# GUID from elsewhere, and a copied USN would contradict its replication metadata.
ASSIGNED_BY_SAMBA = {"objectguid", "whencreated", "whenchanged", "usncreated", "usnchanged"}

DN_SYNTAX = "2.5.5.1"


def blocks(text):
    """The records of an LDIF text, unfolded, comments dropped, as lists of lines."""
    text = text.replace("\r\n", "\n")
    for block in re.split(r"\n[ \t]*\n", text):
        lines = []
        in_comment = False
        for line in block.split("\n"):
            if line.startswith(" "):
                if not in_comment and lines:
                    lines[-1] += line[1:]
                continue
            in_comment = line.startswith("#")
            if line and not in_comment:
                lines.append(line)
        if lines:
            yield lines


def split_line(line):
    """(attribute, value) of an `attr: value` or `attr:: base64` line, the value decoded (binary
    values come out garbled, which is fine: only DNs and schema fields are looked at)."""
    name, _, rest = line.partition(":")
    if rest.startswith(":"):
        return name, base64.b64decode(rest[1:].strip()).decode("utf-8", "replace")
    return name, rest.lstrip(" ")


def dn_key(dn):
    """Enough normalisation to match the sample's DNs with each other: case and spaces."""
    return ",".join(part.strip() for part in dn.split(",")).lower()


def schema(path, schema_dn):
    text = open(path, encoding="utf-8").read().replace("${SCHEMADN}", schema_dn)
    leftover = re.search(r"\$\{\w+\}", text)
    if leftover:
        sys.exit(f"{path}: placeholder {leftover.group()} is not filled in")
    records = []
    for lines in blocks(text):
        # oc_provision_schema_attributes.ldif holds one block without `dn:` (Legacy-Exchange-DN,
        # which the base AD schema already has); ldbadd stops reading at such a block.
        if lines[0].lower().startswith("dn:"):
            records.append("\n".join(lines))
    sys.stdout.write("\n\n".join(records) + "\n")


def schema_attributes(path):
    """(DN-valued attributes, back links) of the loaded schema, by lower-case name."""
    dn_valued, back_links = set(), set()
    for lines in blocks(open(path, encoding="utf-8").read()):
        values = dict(split_line(line) for line in lines[1:])
        name = values.get("lDAPDisplayName", "").lower()
        if values.get("attributeSyntax") == DN_SYNTAX:
            dn_valued.add(name)
        # An odd linkID is the back link of the attribute whose linkID is one less.
        if int(values.get("linkID", "0")) % 2 == 1:
            back_links.add(name)
    return dn_valued, back_links


def organization(sample, attributes, add_out, links_out):
    dn_valued, back_links = schema_attributes(attributes)
    records = list(blocks(open(sample, encoding="utf-8").read()))
    position = {dn_key(split_line(lines[0])[1]): index for index, lines in enumerate(records)}
    entries, links = [], []
    dropped, deferred = {}, 0
    for index, lines in enumerate(records):
        entry, later = [lines[0]], []
        for line in lines[1:]:
            name, value = split_line(line)
            if name.lower() in ASSIGNED_BY_SAMBA:
                dropped[name] = dropped.get(name, 0) + 1
            elif name.lower() in back_links:
                # Samba maintains back links from the forward links: they are not writable.
                dropped[name] = dropped.get(name, 0) + 1
            elif name.lower() in dn_valued and position.get(dn_key(value), -1) > index:
                # Samba refuses a link to an object that does not exist yet. Links to objects
                # added earlier stay in the entry, because some are mandatory (homeMTA), and
                # so does distinguishedName, the entry's own DN.
                later.append((name, line))
            else:
                entry.append(line)
        entries.append("\n".join(entry))
        if later:
            change = [lines[0], "changetype: modify"]
            for name in dict.fromkeys(name for name, _ in later):
                change += [f"add: {name}"] + [line for other, line in later if other == name] + ["-"]
            links.append("\n".join(change))
            deferred += len(later)
    with open(add_out, "w", encoding="utf-8") as out:
        out.write("\n\n".join(entries) + "\n")
    with open(links_out, "w", encoding="utf-8") as out:
        out.write("\n\n".join(links) + "\n")
    summary = ", ".join(f"{name} x{count}" for name, count in sorted(dropped.items()))
    print(f"{len(entries)} entries; dropped {summary}; {deferred} links added in a second pass")


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"schema": schema, "organization": organization}[command](*arguments)
