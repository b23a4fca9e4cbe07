#!/usr/bin/env python3
"""Writes samples/contoso-full.ldf or samples/contoso-clean.ldf (see scripts/samples/generate).

Two forests' Exchange configuration, exported with ldifde and concatenated: Contoso
(Exchange 2003 with Exchange 2007 in the coexistence groups) and Fabrikam (Exchange
2000/2003). The full variant holds one deliberate problem per rule; the clean variant is the
same organizations with each problem fixed.
"""

import base64
import datetime
import hashlib
import sys

WIDTH = 80
RELAY_IP_LIST = base64.b64decode(
    "GAAAgCAAAIA8AACARAAAgAEAAABMAAAAAAAAAAAAAAABAAAAAQAAAAIAAAACAAAABAAAAAAAAABMAACAAAAAAAAAAAAAAAAAAAAAAP////9/AAAB"
)


def needs_base64(value):
    if isinstance(value, bytes):
        return True
    if not value:
        return False
    if any(ord(c) > 126 or ord(c) < 32 for c in value):
        return True
    return value[0] in " :<" or value[-1] == " "


def logical_line(name, value):
    if needs_base64(value):
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        return f"{name}:: {base64.b64encode(raw).decode()}"
    return f"{name}: {value}"


def fold(line):
    if len(line) <= WIDTH:
        return [line]
    lines = [line[:WIDTH]]
    rest = line[WIDTH:]
    while rest:
        lines.append(" " + rest[: WIDTH - 1])
        rest = rest[WIDTH - 1 :]
    return lines


def rdn_value(dn):
    first = dn.split(",", 1)[0]
    return first.split("=", 1)[1]


class Forest:
    def __init__(self, dc, org, start, usn):
        self.dc = dc
        self.config = f"CN=Configuration,{dc}"
        self.exchange = f"CN=Microsoft Exchange,CN=Services,{self.config}"
        self.org_name = org
        self.org = f"CN={org},{self.exchange}"
        self.groups = f"CN=Administrative Groups,{self.org}"
        self.clock = start
        self.usn = usn
        self.entries = []

    def at(self, when, usn=None):
        self.clock = when
        if usn is not None:
            self.usn = usn

    def category(self, name):
        return f"CN={name},CN=Schema,{self.config}"

    def add(self, dn, classes, category, attrs=(), display=None, legacy=None, changed_days=0):
        created = self.clock
        self.clock += datetime.timedelta(minutes=1, seconds=7)
        changed = created + datetime.timedelta(days=changed_days)
        usn = self.usn
        self.usn += 4 + (len(self.entries) % 3)
        usn_changed = usn + 3 + (changed_days * 17 if changed_days else 0)
        name = rdn_value(dn)
        lines = [("dn", dn), ("changetype", "add")]
        lines += [("objectClass", c) for c in classes]
        lines += [
            ("cn", name),
            ("distinguishedName", dn),
            ("instanceType", "4"),
            ("whenCreated", created.strftime("%Y%m%d%H%M%S.0Z")),
            ("whenChanged", changed.strftime("%Y%m%d%H%M%S.0Z")),
            ("uSNCreated", str(usn)),
            ("uSNChanged", str(usn_changed)),
            ("showInAdvancedViewOnly", "TRUE"),
        ]
        if display is not None:
            lines.append(("adminDisplayName", display))
        lines.append(("name", name))
        lines.append(("objectGUID", hashlib.sha1(f"guid:{dn}".encode()).digest()[:16]))
        if legacy is not None:
            lines.append(("legacyExchangeDN", legacy))
        lines.append(("objectCategory", self.category(category)))
        lines += [(k, v) for k, v in attrs if v is not None]
        self.entries.append(lines)

    # --- containers -------------------------------------------------------------------

    def container(self, dn, classes, category):
        self.add(dn, ["top", "container"] + classes, category)

    def root(self, org_attrs):
        self.add(self.exchange, ["top", "container", "msExchConfigurationContainer"], "ms-Exch-Configuration-Container")
        self.add(
            self.org,
            ["top", "container", "msExchOrganizationContainer"],
            "ms-Exch-Organization-Container",
            org_attrs,
            legacy=f"/o={self.org_name}",
            changed_days=400,
        )
        self.container(self.groups, ["msExchAdminGroupContainer"], "ms-Exch-Admin-Group-Container")

    def admin_group(self, name, default=False):
        dn = f"CN={name},{self.groups}"
        self.add(
            dn,
            ["top", "msExchAdminGroup"],
            "ms-Exch-Admin-Group",
            [("msExchAdminGroupMode", "0"), ("msExchDefaultAdminGroup", "TRUE" if default else "FALSE")],
            legacy=f"/o={self.org_name}/ou={name}",
        )
        return dn

    def servers_container(self, group):
        self.container(f"CN=Servers,{group}", ["msExchServersContainer"], "ms-Exch-Servers-Container")

    def routing_groups_container(self, group):
        self.container(f"CN=Routing Groups,{group}", ["msExchRoutingGroupContainer"], "ms-Exch-Routing-Group-Container")

    def routing_group(self, group, name, master, members):
        dn = f"CN={name},CN=Routing Groups,{group}"
        attrs = [("msExchRoutingMasterDN", master)] + [("msExchRoutingGroupMembersBL", m) for m in members]
        self.add(dn, ["top", "container", "msExchRoutingGroup"], "ms-Exch-Routing-Group", attrs, changed_days=90)
        return dn

    def connections(self, routing_group):
        self.container(f"CN=Connections,{routing_group}", ["msExchConnectors"], "ms-Exch-Connectors")

    # --- servers ------------------------------------------------------------------------

    def server_dn(self, group, name):
        return f"CN={name},CN=Servers,{group}"

    def mta_dn(self, server):
        return f"CN=Microsoft MTA,{server}"

    def vsi_dn(self, server, number=1):
        return f"CN={number},CN=SMTP,CN=Protocols,{server}"

    def server(self, group, name, serial, version_number, home, fqdn, exchange_2007_roles=None, site=None):
        dn = self.server_dn(group, name)
        group_name = rdn_value(group)
        attrs = [("serialNumber", serial), ("versionNumber", str(version_number)), ("serverRole", "0")]
        if exchange_2007_roles is None:
            attrs.append(("msExchServerRole", "0"))
        else:
            attrs.append(("msExchCurrentServerRoles", str(exchange_2007_roles)))
        for kind in ["ncacn_vns_spp", "netbios", "ncacn_np", "ncacn_spx", "ncacn_ip_tcp", "ncalrpc"]:
            attrs.append(("networkAddress", f"{kind}:{fqdn if kind == 'ncacn_ip_tcp' else name}"))
        if site is not None:
            attrs.append(("msExchServerSite", site))
        attrs.append(("msExchHomeRoutingGroup", home))
        attrs.append(("msExchResponsibleMTAServer", self.mta_dn(dn)))
        self.add(
            dn,
            ["top", "server", "msExchExchangeServer"],
            "ms-Exch-Exchange-Server",
            attrs,
            display=name,
            legacy=f"/o={self.org_name}/ou={group_name}/cn=Configuration/cn=Servers/cn={name}",
            changed_days=200,
        )
        self.add(
            self.mta_dn(dn),
            ["top", "mTA"],
            "ms-Exch-MTA",
            [("mTALocalDesig", name), ("transRetryMins", "5"), ("transTimeoutMins", "20")],
        )
        self.container(f"CN=Protocols,{dn}", ["msExchProtocolCfgProtocolContainer"], "ms-Exch-Protocol-Cfg-Protocol-Container")
        self.container(
            f"CN=SMTP,CN=Protocols,{dn}",
            ["msExchProtocolCfgSharedContainer", "msExchProtocolCfgSMTPContainer"],
            "ms-Exch-Protocol-Cfg-SMTP-Container",
        )
        return dn

    def virtual_server(self, server, number, display, fqdn, **settings):
        """An Exchange 2000/2003 SMTP virtual server with the defaults, but for `settings`."""
        values = {
            "heuristics": "131072",
            "bindings": [":25:"],
            "auth": "5",
            "inbound": "7697601",
            "hops": "30",
            "recipients": "64000",
            "outgoing": "1000",
            "per_domain": "100",
            "port": "25",
            "relay_for_auth": "TRUE",
            "smart_host": None,
            "smart_host_type": "0",
            "alternate": None,
            "queue_drive": "D:",
        }
        unknown = set(settings) - set(values)
        assert not unknown, unknown
        values.update(settings)
        root = f"{values['queue_drive']}\\Exchsrvr" if values["queue_drive"] != "C:" else "C:\\Program Files\\Exchsrvr"
        attrs = [("heuristics", values["heuristics"])]
        attrs += [("msExchServerBindings", b) for b in values["bindings"]]
        attrs += [
            ("msExchServerAutoStart", "TRUE"),
            ("msExchAuthenticationFlags", values["auth"]),
            ("msExchAccessSSLFlags", "0"),
            ("msExchNTAuthenticationProviders", "GSSAPI,NTLM"),
            ("msExchMaxIncomingConnections", "2000000000"),
            ("msExchIncomingConnectionTimeout", "1500"),
            ("msExchLogType", "0"),
            ("msExchAlternateServer", values["alternate"]),
            ("msExchSmtpFullyQualifiedDomainName", fqdn),
            ("msExchSmtpInboundCommandSupportOptions", values["inbound"]),
            ("msExchSmtpMaxHopCount", values["hops"]),
            ("msExchSmtpMaxMessageSize", "10485760"),
            ("msExchSmtpMaxSessionSize", "0"),
            ("msExchSmtpMaxRecipients", values["recipients"]),
            ("msExchSmtpMaxOutboundMsgPerDomain", "20"),
            ("msExchSmtpMaxOutgoingConnections", values["outgoing"]),
            ("msExchSmtpMaxOutgoingConnectionsPerDomain", values["per_domain"]),
            ("msExchSmtpOutgoingConnectionTimeout", "600"),
            ("msExchSmtpOutgoingPort", values["port"]),
            ("msExchSmtpOutboundSecurityFlag", "0"),
            ("msExchSmtpLocalQueueDelayNotification", "720"),
            ("msExchSmtpLocalQueueExpirationTimeout", "2880"),
            ("msExchSmtpRelayForAuth", values["relay_for_auth"]),
            ("msExchSmtpRelayIpList", RELAY_IP_LIST),
            ("msExchSmtpSmartHost", values["smart_host"]),
            ("msExchSmtpSmartHostType", values["smart_host_type"]),
            ("msExchSmtpDoMasquerade", "FALSE"),
            ("msExchSmtpQueueDirectory", f"{root}\\Mailroot\\vsi {number}\\Queue"),
            ("msExchSmtpPickupDirectory", f"{root}\\Mailroot\\vsi {number}\\PickUp"),
            ("msExchSmtpBadMailDirectory", f"{root}\\Mailroot\\vsi {number}\\BadMail"),
        ]
        self.add(
            self.vsi_dn(server, number),
            ["top", "protocolCfg", "protocolCfgSMTP", "protocolCfgSMTPServer"],
            "ms-Exch-Protocol-Cfg-SMTP-Server",
            attrs,
            display=display,
            changed_days=120,
        )

    def placeholder_virtual_server(self, server, fqdn):
        """The virtual server object Exchange 2007 setup creates for legacy routing."""
        self.add(
            self.vsi_dn(server),
            ["top", "protocolCfg", "protocolCfgSMTP", "protocolCfgSMTPServer"],
            "ms-Exch-Protocol-Cfg-SMTP-Server",
            [("msExchSmtpFullyQualifiedDomainName", fqdn)],
        )

    def receive_connectors(self, server, connectors):
        self.container(f"CN=SMTP Receive Connectors,CN=Protocols,{server}", [], "Container")
        for name, bindings, ranges, fqdn in connectors:
            attrs = [("msExchSmtpReceiveBindings", b) for b in bindings]
            attrs += [("msExchSmtpReceiveRemoteIPRanges", r) for r in ranges]
            attrs += [
                ("msExchSmtpReceiveEnabled", "TRUE"),
                ("msExchSMTPReceiveConnectorFQDN", fqdn),
                ("msExchSmtpReceiveMaxMessageSize", "10485760"),
                ("msExchSmtpReceiveProtocolOptions", "445"),
                ("msExchSMTPReceiveInboundSecurityFlag", "29"),
                ("msExchSmtpReceiveRole", "32"),
            ]
            self.add(
                f"CN={name},CN=SMTP Receive Connectors,CN=Protocols,{server}",
                ["top", "msExchSmtpReceiveConnector"],
                "ms-Exch-Smtp-Receive-Connector",
                attrs,
            )

    def stores(self, server, mailbox=True, public=True):
        name = rdn_value(server)
        store = f"CN=InformationStore,{server}"
        group = f"CN=First Storage Group,{store}"
        self.container(store, ["msExchInformationStore"], "ms-Exch-Information-Store")
        self.container(group, ["msExchStorageGroup"], "ms-Exch-Storage-Group")
        legacy = f"/o={self.org_name}/ou={rdn_value(server.split(',CN=Servers,')[1])}/cn=Configuration/cn=Servers/cn={name}"
        if mailbox:
            self.add(
                f"CN=Mailbox Store ({name}),{group}",
                ["top", "msExchMDB", "msExchPrivateMDB"],
                "ms-Exch-Private-MDB",
                [("homeMTA", self.mta_dn(server))],
                legacy=f"{legacy}/cn=Microsoft Private MDB",
            )
        if public:
            self.add(
                f"CN=Public Folder Store ({name}),{group}",
                ["top", "msExchMDB", "msExchPublicMDB"],
                "ms-Exch-Public-MDB",
                [("homeMTA", self.mta_dn(server))],
                legacy=f"{legacy}/cn=Microsoft Public MDB",
            )

    # --- connectors ---------------------------------------------------------------------

    def smtp_connector(self, routing_group, name, spaces, bridgeheads, home_mta, smart_host=None, extra=()):
        group_dn = routing_group.split(",CN=Routing Groups,")[1]
        attrs = [("deliveryMechanism", "2"), ("homeMTA", home_mta)]
        attrs += [("routingList", s) for s in spaces]
        attrs += [("msExchSourceBridgeheadServersDN", b) for b in bridgeheads]
        attrs += [("msExchSmtpSmartHost", smart_host), ("msExchSmtpOutboundSecurityFlag", "0")]
        attrs += list(extra)
        attrs.append(("delivContLength", "10240"))
        self.add(
            f"CN={name},CN=Connections,{routing_group}",
            ["top", "msExchConnector", "mailGateway", "msExchRoutingSMTPConnector"],
            "ms-Exch-Routing-SMTP-Connector",
            attrs,
            display=name,
            legacy=f"/o={self.org_name}/ou={rdn_value(group_dn)}/cn=Configuration/cn=Connections/cn={name}",
            changed_days=30,
        )

    def send_connector(self, name, spaces, bridgehead, home_mta, smart_host, flags="0", enabled="TRUE", extra=()):
        group = f"CN=Exchange Routing Group (DWBGZMFD01QNBJR),CN=Routing Groups,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),{self.groups}"
        attrs = [("deliveryMechanism", "2"), ("homeMTA", home_mta)]
        attrs += [("routingList", s) for s in spaces]
        attrs += [
            ("msExchSourceBridgeheadServersDN", bridgehead),
            ("msExchSmtpSmartHost", smart_host),
            ("msExchSmtpSendPort", "25"),
            ("msExchSmtpSendEnabled", enabled),
            ("msExchSmtpSendFlags", flags),
            ("msExchSmtpMaxMessagesPerConnection", "20"),
            ("msExchSmtpSendProtocolLoggingLevel", "0"),
            ("msExchSmtpOutboundSecurityFlag", "0"),
        ]
        attrs += list(extra)
        attrs.append(("delivContLength", "10240"))
        self.add(
            f"CN={name},CN=Connections,{group}",
            ["top", "msExchConnector", "mailGateway", "msExchRoutingSMTPConnector"],
            "ms-Exch-Routing-SMTP-Connector",
            attrs,
            display=name,
        )

    def routing_group_connector(self, routing_group, name, destination, sources, targets, home_mta, extra=()):
        attrs = [("cost", "1"), ("msExchNoPFConnection", "FALSE"), ("homeMTA", home_mta)]
        attrs += [("msExchDestinationRGDN", destination)]
        attrs += [("msExchSourceBridgeheadServersDN", s) for s in sources]
        attrs += [("msExchTargetBridgeheadServersDN", t) for t in targets]
        attrs += list(extra)
        self.add(
            f"CN={name},CN=Connections,{routing_group}",
            ["top", "msExchConnector", "msExchRoutingGroupConnector"],
            "ms-Exch-Routing-Group-Connector",
            attrs,
            display=name,
            changed_days=10,
        )

    # --- organization settings ----------------------------------------------------------

    def global_settings(self, delivery, transport=None):
        settings = f"CN=Global Settings,{self.org}"
        self.container(settings, ["msExchContainer"], "ms-Exch-Container")
        self.add(
            f"CN=Message Delivery,{settings}",
            ["top", "msExchMessageDeliveryConfig"],
            "ms-Exch-Message-Delivery-Config",
            delivery,
            changed_days=300,
        )
        if transport is not None:
            self.add(
                f"CN=Transport Settings,{self.org}",
                ["top", "container", "msExchTransportSettings"],
                "ms-Exch-Transport-Settings",
                transport,
                changed_days=20,
            )

    def recipient_policies(self, proxies, non_authoritative):
        container = f"CN=Recipient Policies,{self.org}"
        self.add(container, ["top", "container", "msExchRecipientPolicyContainer"], "ms-Exch-Recipient-Policy-Container")
        attrs = [("gatewayProxy", p) for p in proxies]
        attrs += [("msExchNonAuthoritativeDomains", d) for d in non_authoritative]
        attrs += [("msExchPolicyOrder", "2147483647"), ("purportedSearch", "(mailnickname=*)")]
        self.add(
            f"CN=Default Policy,{container}",
            ["top", "msExchRecipientPolicy"],
            "ms-Exch-Recipient-Policy",
            attrs,
            changed_days=250,
        )


def packed_version(major, minor, build):
    """`versionNumber` of Exchange 2007 and later."""
    return (build & 0x7FFF) | (minor << 16) | (major << 22) | 0x70008000


E2003_SP2 = ("Version 6.5 (Build 7638.2: Service Pack 2)", 7638)
E2007_SP1 = ("Version 8.1 (Build 30240.6)", packed_version(8, 1, 240))
HYGIENE = "smtp.hygiene.example"


def contoso(full):
    f = Forest("DC=contoso,DC=com", "Contoso", datetime.datetime(2005, 3, 10, 10, 15, 0), 8201)
    f.root([("msExchMixedMode", "FALSE"), ("msExchAdminGroupsEnabled", "TRUE"), ("msExchRoutingEnabled", "TRUE")])
    f.global_settings(
        [
            ("delivContLength", "1000" if full else "10240"),
            ("submissionContLength", "1000" if full else "10240"),
            ("msExchRecipLimit", "10000" if full else "5000"),
        ],
        [
            ("delivContLength", "20480" if full else "10240"),
            ("submissionContLength", "10240"),
            ("msExchRecipLimit", "5000"),
        ],
    )
    f.recipient_policies(
        ["SMTP:@contoso.com", "smtp:@fabrikam.com", "X400:c=US;a= ;p=Contoso;o=Exchange;"],
        ["smtp:@fabrikam.com"],
    )

    first = f.admin_group("First Administrative Group", default=True)
    europe = f"CN=Europe Administrative Group,{f.groups}"
    e2007 = f"CN=Exchange Administrative Group (FYDIBOHF23SPDLT),{f.groups}"
    rg1 = f"CN=First Routing Group,CN=Routing Groups,{first}"
    rg_eu = f"CN=Europe Routing Group,CN=Routing Groups,{europe}"
    rg7 = f"CN=Exchange Routing Group (DWBGZMFD01QNBJR),CN=Routing Groups,{e2007}"

    exbh01 = f.server_dn(first, "EXBH01")
    exmb01 = f.server_dn(first, "EXMB01")
    exeu01 = f.server_dn(europe, "EXEU01")
    exeu02 = f.server_dn(europe, "EXEU02")
    exhub01 = f.server_dn(e2007, "EXHUB01")
    exhub02 = f.server_dn(e2007, "EXHUB02")
    exlab07 = f.server_dn(e2007, "EXLAB07")
    # Exchange 2007 server moved into First Administrative Group with ADSI Edit (ROUTE006).
    exhub03 = f.server_dn(first if full else e2007, "EXHUB03")

    f.servers_container(first)
    f.routing_groups_container(first)
    first_members = [exbh01, exmb01, exeu02] + ([exhub02, exhub03] if full else [])
    f.routing_group(first, "First Routing Group", exbh01, first_members)
    f.connections(rg1)

    # --- First Administrative Group: EXBH01, EXMB01 (and EXHUB03 in the full export) -----
    f.server(first, "EXBH01", *E2003_SP2, rg1, "exbh01.contoso.com")
    f.virtual_server(
        exbh01,
        1,
        "Default SMTP Virtual Server",
        "exbh01.contoso.com",
        outgoing="2000" if full else "1000",
        alternate="fbex01.fabrikam.com" if full else None,
    )
    f.virtual_server(
        exbh01,
        2,
        "Partner Inbound SMTP",
        "partners.contoso.com",
        bindings=["10.0.1.25:2525:"] if full else ["10.0.1.25:25:"],
        recipients="200" if full else "5000",
    )
    f.server(first, "EXMB01", *E2003_SP2, rg1, "exmb01.contoso.com")
    f.virtual_server(exmb01, 1, "Default SMTP Virtual Server", "exmb01.contoso.com", auth="7" if full else "4")
    f.stores(exmb01)

    f.at(datetime.datetime(2008, 2, 18, 9, 30, 0), 61020)
    if full:
        f.server(first, "EXHUB03", *E2007_SP1, rg1, "exhub03.contoso.com", 32)
        f.placeholder_virtual_server(exhub03, "exhub03.contoso.com")
        f.receive_connectors(
            exhub03, [("Default EXHUB03", ["0.0.0.0:25"], ["0.0.0.0-255.255.255.255"], "exhub03.contoso.com")]
        )

    # Connectors of First Routing Group.
    f.at(datetime.datetime(2005, 3, 11, 15, 0, 0), 9120)
    f.smtp_connector(
        rg1, "Internet Mail", ["SMTP:*;10"], [f.vsi_dn(exbh01)], f.mta_dn(exbh01), smart_host=HYGIENE
    )
    f.smtp_connector(
        rg1,
        "Fabrikam Partner Relay",
        ["SMTP:fabrikam.com;10", "SMTP:*.fabrikam.com;10"],
        [f.vsi_dn(exbh01)],
        f.mta_dn(exbh01),
        smart_host="10.20.0.25" if full else "[10.20.0.25]",
    )
    f.routing_group_connector(
        rg1,
        "First RG to Europe RG",
        rg_eu,
        [f.vsi_dn(exbh01)],
        [f.vsi_dn(exeu01)],
        f.mta_dn(exbh01),
        [("dLMemRejectPerms", "CN=Contractors,OU=Groups,DC=contoso,DC=com")] if full else [],
    )
    f.at(datetime.datetime(2008, 2, 18, 11, 2, 0), 61480)
    f.routing_group_connector(
        rg1, "Interop RGC", rg7, [f.vsi_dn(exbh01)], [f.vsi_dn(exhub01)], f.mta_dn(exbh01)
    )
    if full:
        # Left from EXOLD01, removed in 2006 with its MTA: no address space, homed on a
        # deleted MTA.
        f.at(datetime.datetime(2004, 5, 3, 8, 40, 0), 5210)
        f.add(
            f"CN=Legacy X.400,CN=Connections,{rg1}",
            ["top", "msExchConnector", "mailGateway", "x400Link"],
            "ms-Exch-X400-Link",
            [
                ("deliveryMechanism", "2"),
                (
                    "homeMTA",
                    "CN=Microsoft MTA\\0ADEL:8b3f0a52-6c1e-4d2a-9f0e-3a7d5c2b1e94,CN=Deleted Objects,"
                    f"{f.config}",
                ),
            ],
            display="Legacy X.400",
            legacy="/o=Contoso/ou=First Administrative Group/cn=Configuration/cn=Connections/cn=Legacy X.400",
        )

    # --- Europe Administrative Group: EXEU01, EXEU02 ---------------------------------------
    f.at(datetime.datetime(2005, 8, 22, 8, 55, 0), 15100)
    f.admin_group("Europe Administrative Group")
    f.servers_container(europe)
    f.routing_groups_container(europe)
    # EXEU02 was moved to First Routing Group; Europe Routing Group's master still names it.
    f.routing_group(europe, "Europe Routing Group", exeu02 if full else exeu01, [exeu01])
    f.connections(rg_eu)
    f.server(europe, "EXEU01", *E2003_SP2, rg_eu, "exeu01.eu.contoso.com")
    f.virtual_server(
        exeu01,
        1,
        "Default SMTP Virtual Server",
        "exeu01.eu.contoso.com",
        bindings=[":25:", ":587:"] if full else [":25:"],
        queue_drive="C:" if full else "E:",
    )
    f.server(europe, "EXEU02", *E2003_SP2, rg1, "exeu02.eu.contoso.com")
    f.virtual_server(
        exeu02,
        1,
        "Default SMTP Virtual Server",
        "exeu02.eu.contoso.com",
        auth="4",
        inbound="3503297" if full else "7697601",
    )
    f.virtual_server(
        exeu02,
        2,
        "SMTP-Relais München",
        "relay.eu.contoso.com",
        bindings=[":25:"] if full else ["10.1.0.26:25:"],
        auth="4",
    )
    f.stores(exeu02, public=False)
    f.routing_group_connector(
        rg_eu,
        "Europe RG to First RG",
        rg1,
        [f.vsi_dn(exeu01)],
        [] if full else [f.vsi_dn(exbh01)],
        f.mta_dn(exeu01),
    )
    f.smtp_connector(
        rg_eu,
        "Europe Outbound",
        ["Local:SMTP:*;5"] if full else ["SMTP:*;20"],
        [f.vsi_dn(exeu01)],
        f.mta_dn(exeu01),
        smart_host=HYGIENE,
    )

    # --- Exchange 2007 in the coexistence groups ------------------------------------------
    f.at(datetime.datetime(2008, 2, 18, 9, 0, 0), 61000)
    f.admin_group("Exchange Administrative Group (FYDIBOHF23SPDLT)")
    f.servers_container(e2007)
    f.routing_groups_container(e2007)
    deleted_master = (
        "CN=EXHUB00\\0ADEL:3c9e5b1a-77d4-4f0b-a2c6-d18e0f4b6a27,CN=Deleted Objects," f"{f.config}"
    )
    e2007_members = [exhub01, exlab07] + ([] if full else [exhub02, exhub03])
    f.routing_group(e2007, "Exchange Routing Group (DWBGZMFD01QNBJR)", deleted_master if full else exhub01, e2007_members)
    f.connections(rg7)
    f.server(e2007, "EXHUB01", *E2007_SP1, rg7, "exhub01.contoso.com", 32)
    f.placeholder_virtual_server(exhub01, "exhub01.contoso.com")
    f.receive_connectors(
        exhub01,
        [
            ("Default EXHUB01", ["0.0.0.0:25"], ["0.0.0.0-255.255.255.255"], "exhub01.contoso.com"),
            ("Client EXHUB01", ["0.0.0.0:587"], ["0.0.0.0-255.255.255.255"], "exhub01.contoso.com"),
            (
                "Relay EXHUB01",
                ["0.0.0.0:25"],
                ["0.0.0.0-255.255.255.255"] if full else ["10.0.5.10", "10.0.5.11"],
                "relay.contoso.com",
            ),
        ],
    )
    f.server(e2007, "EXHUB02", *E2007_SP1, rg1 if full else rg7, "exhub02.contoso.com", 32)
    f.placeholder_virtual_server(exhub02, "exhub02.contoso.com")
    f.receive_connectors(
        exhub02, [("Default EXHUB02", ["0.0.0.0:25"], ["0.0.0.0-255.255.255.255"], "exhub02.contoso.com")]
    )
    lab = ("Version 8.0 (Build 30628.0)", packed_version(8, 0, 628)) if full else E2007_SP1
    f.server(e2007, "EXLAB07", *lab, rg7, "exlab07.contoso.com", 38)
    f.placeholder_virtual_server(exlab07, "exlab07.contoso.com")
    f.receive_connectors(
        exlab07, [("Default EXLAB07", ["0.0.0.0:25"], ["0.0.0.0-255.255.255.255"], "exlab07.contoso.com")]
    )
    if not full:
        f.server(e2007, "EXHUB03", *E2007_SP1, rg7, "exhub03.contoso.com", 32)
        f.placeholder_virtual_server(exhub03, "exhub03.contoso.com")
        f.receive_connectors(
            exhub03, [("Default EXHUB03", ["0.0.0.0:25"], ["0.0.0.0-255.255.255.255"], "exhub03.contoso.com")]
        )
    f.routing_group_connector(
        rg7, "Interop RGC", rg1, [f.vsi_dn(exhub01)], [f.vsi_dn(exbh01)], f.mta_dn(exhub01)
    )
    f.send_connector(
        "Internet Send",
        ["SMTP:*;10"] if full else ["SMTP:*;5"],
        f.vsi_dn(exhub01),
        f.mta_dn(exhub01),
        HYGIENE,
        extra=[("msExchSMTPSendConnectorFQDN", "mail.contoso.com")],
    )
    f.send_connector(
        "Payroll Provider",
        ["SMTP:payroll.example;1"],
        f.vsi_dn(exhub01),
        f.mta_dn(exhub01),
        "smtp.payroll.example",
        flags="2097152",
        extra=[] if full else [("msExchSmtpOutboundSecurityUserName", "CONTOSO\\svc-payroll-relay")],
    )
    if full:
        f.send_connector(
            "Internet Send (old)",
            ["SMTP:*;1"],
            f.vsi_dn(exhub01),
            f.mta_dn(exhub01),
            "relay.isp.example",
            enabled="FALSE",
        )
    return f.entries


def fabrikam(full):
    f = Forest("DC=fabrikam,DC=com", "Fabrikam", datetime.datetime(2002, 11, 4, 14, 20, 0), 4410)
    f.root([("msExchMixedMode", "FALSE"), ("msExchAdminGroupsEnabled", "TRUE"), ("msExchRoutingEnabled", "TRUE")])
    delivery = [("submissionContLength", "10240"), ("msExchRecipLimit", "2" if full else "5000")]
    if not full:
        delivery.insert(0, ("delivContLength", "10240"))
    f.global_settings(delivery)
    f.recipient_policies(["SMTP:@fabrikam.com", "X400:c=US;a= ;p=Fabrikam;o=Exchange;"], [])

    hq = f.admin_group("HQ Administrative Group", default=True)
    branches = f"CN=Branches Administrative Group,{f.groups}"
    rg_hq = f"CN=HQ Routing Group,CN=Routing Groups,{hq}"
    rg_branch = f"CN=Branch Routing Group,CN=Routing Groups,{branches}"
    fbex01 = f.server_dn(hq, "FBEX01")
    fbex02 = f.server_dn(hq, "FBEX02")
    fbex2k = f.server_dn(hq, "FBEX2K")

    f.servers_container(hq)
    f.routing_groups_container(hq)
    f.routing_group(hq, "HQ Routing Group", fbex2k, [fbex2k, fbex01])
    f.connections(rg_hq)

    f.server(hq, "FBEX2K", "Version 6.0 (Build 6249.4: Service Pack 3)", 6249, rg_hq, "fbex2k.fabrikam.com")
    f.virtual_server(
        fbex2k,
        1,
        "Default SMTP Virtual Server",
        "fbex2k.fabrikam.com",
        auth="4",
        hops="15",
        per_domain="10" if full else "100",
        relay_for_auth="FALSE" if full else "TRUE",
    )
    f.stores(fbex2k)

    f.at(datetime.datetime(2004, 9, 14, 16, 5, 0), 21800)
    serial = ("Version 6.5 (Build 7221.12: Service Pack 1)", 7221) if full else E2003_SP2
    f.server(hq, "FBEX01", *serial, rg_hq, "fbex01.fabrikam.com")
    # Forwards unresolved recipients to the Lotus Notes system that still holds some
    # fabrikam.com mailboxes; fabrikam.com is authoritative, so nothing loops.
    f.virtual_server(
        fbex01,
        1,
        "Default SMTP Virtual Server",
        "mail.fabrikam.com" if full else "fbex01.fabrikam.com",
        smart_host="[192.0.2.25]" if full else None,
        smart_host_type="2" if full else "0",
        port="587" if full else "25",
        alternate="notes.fabrikam.com",
    )
    f.stores(fbex01, mailbox=False)

    f.server(hq, "FBEX02", *E2003_SP2, rg_branch, "fbex02.fabrikam.com")
    # Upgraded in place from Exchange 2000: its hop count kept 15 (SMTP007); the Address
    # Rewrite tool was used during the Notes migration (SMTP015).
    f.virtual_server(
        fbex02,
        1,
        "Default SMTP Virtual Server",
        "fbex02.fabrikam.com",
        auth="4",
        hops="15" if full else "30",
        heuristics="131074" if full else "131072",
    )
    f.stores(fbex02)

    f.routing_group_connector(rg_hq, "HQ RG to Branch RG", rg_branch, [f.vsi_dn(fbex2k)], [f.vsi_dn(fbex02)], f.mta_dn(fbex2k))
    contoso_bridgehead = fbex02 if full else fbex01
    f.smtp_connector(
        rg_hq,
        "To Contoso",
        ["SMTP:contoso.com;1", "SMTP:*.contoso.com;0" if full else "SMTP:*.contoso.com;1"],
        [f.vsi_dn(contoso_bridgehead)],
        f.mta_dn(contoso_bridgehead),
        smart_host="[10.10.0.25]",
    )
    if not full:
        f.smtp_connector(rg_hq, "Internet Mail", ["SMTP:*;1"], [f.vsi_dn(fbex01)], f.mta_dn(fbex01), smart_host=HYGIENE)

    # A routing group administered apart from any server (ROUTE004 in the full export).
    f.at(datetime.datetime(2005, 1, 20, 10, 0, 0), 26500)
    f.admin_group("Branches Administrative Group")
    if not full:
        f.servers_container(branches)
    f.routing_groups_container(branches)
    f.routing_group(branches, "Branch Routing Group", fbex02, [fbex02])
    f.connections(rg_branch)
    if not full:
        f.routing_group_connector(
            rg_branch, "Branch RG to HQ RG", rg_hq, [f.vsi_dn(fbex02)], [f.vsi_dn(fbex2k)], f.mta_dn(fbex02)
        )
    return f.entries


def render(header, forests):
    out = []
    for line in header.strip("\n").split("\n"):
        out.append(line.rstrip())
    out.append("")
    for entries in forests:
        for entry in entries:
            for name, value in entry:
                out.extend(fold(logical_line(name, value)))
            out.append("")
    return "\r\n".join(out) + "\r\n"


def main():
    variant, header_path, out_path = sys.argv[1:4]
    full = variant == "full"
    header = open(header_path, encoding="utf-8").read()
    text = render(header, [contoso(full), fabrikam(full)])
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        out.write(text)


if __name__ == "__main__":
    main()
